"""The staff roles: who may do what in the admin is given by these groups.

Their permissions are granted by migrations (comments/migrations/0003 and
0005), which keep copies of these names as history requires.
"""

EDITORS = "ویراستار"
MODERATORS = "ناظر نظرات"

# The role names `createstaff --role` takes, and the group of each.
ROLES = {"editor": EDITORS, "moderator": MODERATORS}
