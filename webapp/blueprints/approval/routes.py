"""The leader's queue: documents waiting for 签发."""

from flask import Blueprint

from ...authz import roles_required
from ...workflow import Role, Stage
from ..review.routes import render_queue

bp = Blueprint("approval", __name__, url_prefix="/approval")


@bp.route("/")
@roles_required(Role.LEADER)
def queue():
    return render_queue(Stage.LEADER_APPROVAL)
