from django.urls import path

from records.views import children, concerns, entries, home, personal, queues, staff_concerns, staff_files

urlpatterns = [
    path("", home.home, name="home"),
    path("children/", children.children, name="children"),
    path("children/<uuid:child_id>/", children.child_file, name="child_file"),
    path("children/<uuid:child_id>/chronology/", children.child_chronology, name="child_chronology"),
    path("children/<uuid:child_id>/records/new/", children.record_add, name="record_add"),
    path("records/<uuid:record_id>/", entries.record_detail, name="record_detail"),
    path("records/<uuid:record_id>/amend/", entries.record_amend, name="record_amend"),
    path("records/<uuid:record_id>/add/", entries.record_addendum, name="record_addendum"),
    path("records/<uuid:record_id>/sign-off/", entries.record_sign_off, name="record_sign_off"),
    path("records/<uuid:record_id>/return/", entries.record_return, name="record_return"),
    path("records/<uuid:record_id>/concern/action/", entries.concern_action, name="concern_action"),
    path("records/<uuid:record_id>/concern/link/", entries.concern_link, name="concern_link"),
    path("records/<uuid:record_id>/concern/close/", entries.concern_close, name="concern_close"),
    path("attachments/<uuid:attachment_id>/", entries.attachment_download, name="attachment_download"),
    path("sign-off/", queues.sign_off_queue, name="sign_off_queue"),
    path("corrections/", queues.correction_queue, name="correction_queue"),
    path("corrections/<uuid:correction_id>/decide/", queues.correction_decide, name="correction_decide"),
    path("concerns/", concerns.concern_queue, name="concern_queue"),
    path("concerns/new/", concerns.concern_start, name="concern_start"),
    path("concerns/new/<uuid:child_id>/", concerns.concern_raise, name="concern_raise"),
    path("staff/", staff_files.staff_list, name="staff_list"),
    path("staff/<uuid:staff_member_id>/", staff_files.staff_file, name="staff_file"),
    path("staff/<uuid:staff_member_id>/records/new/", staff_files.staff_record_add, name="staff_record_add"),
    path("staff-concerns/", staff_concerns.staff_concern_queue, name="staff_concern_queue"),
    path("staff-concerns/new/", staff_concerns.staff_concern_start, name="staff_concern_start"),
    path(
        "staff-concerns/new/<uuid:staff_member_id>/",
        staff_concerns.staff_concern_new,
        name="staff_concern_new",
    ),
    path(
        "staff-concerns/<uuid:concern_id>/", staff_concerns.staff_concern_detail, name="staff_concern_detail"
    ),
    path(
        "staff-concerns/<uuid:concern_id>/record/",
        staff_concerns.staff_concern_update,
        name="staff_concern_update",
    ),
    path(
        "staff-concerns/<uuid:concern_id>/note/", staff_concerns.staff_concern_note, name="staff_concern_note"
    ),
    path(
        "staff-concerns/<uuid:concern_id>/refer/",
        staff_concerns.staff_concern_refer,
        name="staff_concern_refer",
    ),
    path(
        "staff-concerns/<uuid:concern_id>/close/",
        staff_concerns.staff_concern_close,
        name="staff_concern_close",
    ),
    path(
        "staff-concerns/<uuid:concern_id>/remove/",
        staff_concerns.staff_concern_remove,
        name="staff_concern_remove",
    ),
    path("notifications/", personal.notifications, name="notifications"),
    path("notifications/<uuid:notification_id>/open/", personal.notification_open, name="notification_open"),
    path("hidden/", personal.screen_hidden, name="screen_hidden"),
    path("settings/discreet/", personal.discreet_mode, name="discreet_mode"),
]
