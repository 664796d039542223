from accounts.views import profile, reauth, session, signin, signup

app_name = "accounts"

urlpatterns = (
    signin.urlpatterns
    + signup.urlpatterns
    + profile.urlpatterns
    + reauth.urlpatterns
    + session.urlpatterns
)
