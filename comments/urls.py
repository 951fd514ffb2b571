from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("comments/<int:code>/", views.post_comment, name="post"),
    path("comments/<int:code>/form/", views.comment_form, name="form"),
    path("comments/question/", views.new_arithmetic_question, name="question"),
]
