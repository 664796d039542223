from accounts.views import devices, profile, reauth, session, signin, signup

app_name = "accounts"

urlpatterns = (
    signin.urlpatterns
    + signup.urlpatterns
    + profile.urlpatterns
    + reauth.urlpatterns
    + devices.urlpatterns
    + session.urlpatterns
)
