import pytest

from interviews import permissions, workflow

pytestmark = pytest.mark.django_db


def test_actions_offered_follow_role_and_state(
    clock, file_request, marketer, other_marketer, sales, cs, manager
):
    request = file_request()
    assert permissions.allowed_actions(sales, request) == {
        "owner_will_reach_out",
        "owner_go_ahead",
        "defer",
        "decline",
    }
    assert permissions.allowed_actions(cs, request) == set()
    assert permissions.allowed_actions(marketer, request) == {"cancel", "edit"}
    assert permissions.allowed_actions(other_marketer, request) == set()
    assert permissions.allowed_actions(manager, request) >= {
        "extend_deadline",
        "reassign_owner",
        "force_switch",
        "cancel",
        "defer",
    }

    request = workflow.request_owner_will_reach_out(request_id=request.pk, by=sales)
    assert permissions.allowed_actions(sales, request) == {"schedule", "customer_declined"}
    assert "decline" not in permissions.allowed_actions(manager, request)
    assert "extend_deadline" in permissions.allowed_actions(manager, request)
