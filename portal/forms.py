from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.errors import DomainError
from training.accounts import authenticate_or_refuse, change_password
from training.models import ContentCategory


class LoginForm(AuthenticationForm):
    """Django's login form, with xuefa's lockout and audit of failures."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = authenticate_or_refuse(request=self.request, username=username, password=password)
            except DomainError as error:
                if error.code == "login_locked":
                    raise ValidationError(_("登录失败次数过多，请稍后再试。"), code="login_locked") from error
                raise self.get_invalid_login_error() from error
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    username = forms.CharField(
        label=_("用户名"), widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class FirstPasswordForm(PasswordChangeForm):
    """Django's password change (old password, new twice, the validators), saved through training's service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")
        self.fields["new_password1"].help_text = _("至少 8 位，不能全是数字，不能与用户名相近。")

    def save(self, commit: bool = True):
        return change_password(user=self.user, new_password=self.cleaned_data["new_password1"])


class ExternalRecordForm(forms.Form):
    """Shape only: the rules (hours, dates, evidence by content) are training's service's."""

    title = forms.CharField(label=_("培训名称"), max_length=200)
    provider = forms.CharField(label=_("举办单位"), max_length=200, required=False)
    content_category = forms.ChoiceField(label=_("内容类别"), choices=ContentCategory.choices)
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1, min_value=0)
    completed_on = forms.DateField(label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(
        label=_("证书照片或 PDF"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,application/pdf", "capture": "environment"}
        ),
        help_text=_("拍照或选择文件：JPEG、PNG 或 PDF，不超过 5 MB。"),
    )
