from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("news/<int:code>/comment/", views.post_comment, name="post"),
]
