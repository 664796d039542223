from accounts.views import profile, reauth, signin, signup

app_name = "accounts"

urlpatterns = signin.urlpatterns + signup.urlpatterns + profile.urlpatterns + reauth.urlpatterns
