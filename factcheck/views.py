import sys

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from factcheck.middleware import database_unavailable, is_database_unavailable
from factcheck.security import ADDRESS_LIMIT, AddressLimitMixin, remember_browser


@require_safe
def home(request):
    """Editors start at their queue; everyone else at the published fact-checks."""
    if request.user.has_perm("factcheck.review_statement"):
        return redirect("queue")
    return redirect("factcheck_index")


@never_cache
@require_safe
def healthz(request):
    """For load balancers and `make run`'s smoke test: the app answers and the database too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return HttpResponse("ok", content_type="text/plain")


class LoginForm(AddressLimitMixin, AuthenticationForm):
    pass


class AdminLoginForm(AddressLimitMixin, AdminAuthenticationForm):
    """The admin site's login form (admin.site.login_form, set in urls.py)."""


def _refused_by_address_limit(form) -> bool:
    return form is not None and form.has_error(NON_FIELD_ERRORS, ADDRESS_LIMIT)


class LoginView(auth_views.LoginView):
    """Django's login, refusing an address that has failed too often across usernames
    (factcheck/security.py), except for usernames this browser has logged in before."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_browser(self.request, response, form.get_user())
        return response

    def form_invalid(self, form):
        if _refused_by_address_limit(form):
            return self.render_to_response(self.get_context_data(form=form, locked_out=True), status=429)
        return super().form_invalid(form)


@never_cache
def admin_login(request, extra_context=None):
    """The admin's login (its own page and AdminLoginForm) under the same address-wide limit
    as the site's: 429 when refused, and a successful login makes the browser known."""
    response = admin.site.login(request, extra_context)
    if request.method == "POST":
        form = (getattr(response, "context_data", None) or {}).get("form")
        if _refused_by_address_limit(form):
            response.status_code = 429
        elif response.status_code == 302 and request.user.is_authenticated:
            remember_browser(request, response, request.user)
    return response


def server_error(request):
    """handler500: a database that went away where no middleware could catch it (saving the
    session after the view, say) still answers 503 with the retry hint, never a bare 500."""
    exception = sys.exc_info()[1]
    if exception is not None and is_database_unavailable(exception):
        return database_unavailable(request, exception)
    return defaults.server_error(request)
