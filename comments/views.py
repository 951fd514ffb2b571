from django.http import HttpResponse


def post_comment(request, code):
    return HttpResponse(status=501)


def csrf_failure(request, reason=""):
    from django.views.csrf import csrf_failure as default

    return default(request, reason)
