from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.sign_up, name="signup"),
    path("eid/start/", views.eid_start, name="eid_start"),
    path("eid/callback/", views.eid_callback, name="eid_callback"),
    path("profile/", views.profile, name="profile"),
    path("verify/<str:purpose>/", views.verify, name="verify"),
    path("businesses/", views.business_list, name="businesses"),
    path("businesses/stop-acting/", views.business_stop_acting, name="business_stop_acting"),
    path("businesses/<int:business_id>/", views.business_detail, name="business"),
    path("businesses/<int:business_id>/act/", views.business_act, name="business_act"),
    path(
        "businesses/<int:business_id>/members/<int:membership_id>/revoke/",
        views.business_revoke,
        name="business_revoke",
    ),
    path("second-factor/", views.second_factor, name="second_factor"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:login"),
        ),
        name="password_reset_confirm",
    ),
]
