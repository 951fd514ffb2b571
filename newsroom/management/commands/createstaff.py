"""Create a staff member in one of the two roles: editor or moderator."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsroom.site.roles import ROLES


class Command(BaseCommand):
    help = "Create a staff user in the editors' or the moderators' group."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input instead of asking for it.",
        )

    def handle(self, *args, username, role, email, password_stdin, **options):
        stdin = options.get("stdin") or sys.stdin
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist:
            raise CommandError("The staff groups are missing: run `manage.py migrate`.") from None
        password = (
            stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("Password: ")
        )
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(f"Created {role} {username!r} in the group «{group.name}».")
