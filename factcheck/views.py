from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from factcheck.security import too_many_failures


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


class LoginView(auth_views.LoginView):
    """Django's login, refusing an address that has failed too often across usernames."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if too_many_failures(request):
            return self.render_to_response(self.get_context_data(locked_out=True), status=429)
        return super().post(request, *args, **kwargs)
