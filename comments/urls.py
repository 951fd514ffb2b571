from django.urls import path

from . import reader_views, views

app_name = "comments"

urlpatterns = [
    path("comments/<int:code>/", views.post_comment, name="post"),
    path("comments/<int:code>/form/", views.comment_form, name="form"),
    path("comments/question/", views.new_arithmetic_question, name="question"),
    path("comments/<int:code>/sent/", reader_views.comment_sent, name="sent"),
    path("comments/track/", reader_views.track_comment, name="track"),
    path("comments/vote/<int:comment_id>/", reader_views.vote, name="vote"),
    path("comments/vote/token/", reader_views.vote_token, name="vote-token"),
    path("comments/<int:code>/votes/", reader_views.vote_counts, name="votes"),
    path("comments/<int:code>/answered/", reader_views.answered_questions, name="answered"),
    path(
        "comments/<int:code>/thread/<int:comment_id>/",
        reader_views.comment_thread,
        name="thread",
    ),
]
