from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "home.html")


@require_GET
def healthz(request):
    """Liveness probe for the load balancer and docker-compose; also the benchmark's ceiling."""
    return HttpResponse("ok", content_type="text/plain")
