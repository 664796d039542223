from accounts.views import profile, signin, signup

app_name = "accounts"

urlpatterns = signin.urlpatterns + signup.urlpatterns + profile.urlpatterns
