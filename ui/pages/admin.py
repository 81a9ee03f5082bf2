"""Settings and users: the system administrator's page.

The canteen's details, every threshold of `canteen.settings.DEFS` (checked as you type, saved
all together or not at all), and the user accounts. Other roles see the same page read-only
with the reason said; the core refuses their writes anyway.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from canteen import settings
from canteen.errors import CanteenError, ValidationError
from canteen.read import admin as read_admin
from canteen.read.kinds import ROLES
from canteen.services import permissions, site_admin, users
from canteen.timeutil import to_local
from ui import i18n
from ui.workers import run_task

from ._common import Page, error_text, fmt_date, heading, name_widget

ERROR_STYLE = "color:#c62828;"
SITE_KEYS = ("name", "school", "licence_no", "address", "timezone")
# A canteen sets its own thresholds; the district's rules for every canteen (how late a push may be)
# are not the canteen's to change, so its page does not offer them.
CANTEEN_SETTINGS = {key: d for key, d in settings.DEFS.items() if not d.district_only}


def role_label(role: str) -> str:
    for value, en, zh in ROLES:
        if value == role:
            return i18n.pick(en, zh)
    return role


def _value_text(value) -> str:
    return "" if value is None else str(value)


class UserDialog(QDialog):
    """Add a user, or set a new password for one: the form stays open until the core accepts it."""

    def __init__(self, parent: QWidget, title: str, with_identity: bool):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("userDialog")
        self.with_identity = with_identity
        form = QFormLayout(self)
        self.username = name_widget(QLineEdit(), "userUsername", self.tr("User name"))
        self.display_name = name_widget(QLineEdit(), "userDisplayName", self.tr("Name"))
        self.post = name_widget(QLineEdit(), "userPost", self.tr("Post"))
        self.role = name_widget(QComboBox(), "userRole", self.tr("Role"))
        for value, en, zh in ROLES:
            self.role.addItem(i18n.pick(en, zh), value)
        self.password = name_widget(QLineEdit(), "userPassword", self.tr("Password"))
        self.repeat = name_widget(QLineEdit(), "userPasswordRepeat", self.tr("Repeat password"))
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        if with_identity:
            form.addRow(self.tr("&User name"), self.username)
            form.addRow(self.tr("&Name"), self.display_name)
            form.addRow(self.tr("&Post"), self.post)
            form.addRow(self.tr("&Role"), self.role)
        form.addRow(self.tr("&Temporary password"), self.password)
        form.addRow(self.tr("Re&peat password"), self.repeat)
        note = QLabel(self.tr("The person must choose their own password when they first sign in."))
        note.setWordWrap(True)
        form.addRow(note)
        self.error = name_widget(QLabel(), "userDialogError", self.tr("Problem"))
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> dict:
        return {"username": self.username.text().strip(), "display_name": self.display_name.text().strip(),
                "post": self.post.text().strip(), "role": self.role.currentData(), "password": self.password.text()}

    def passwords_match(self) -> bool:
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            return False
        return True

    def busy(self, on: bool) -> None:
        self.buttons.setEnabled(not on)
        if on:
            self.error.setText(self.tr("Saving…"))


class AdminPage(Page):
    """Site details, settings and user accounts (editable by the admin role only)."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.is_admin = session.role in permissions.ADMINS
        self.setting_edits: dict[str, QLineEdit] = {}
        self.setting_errors: dict[str, QLabel] = {}
        self.setting_hints: dict[str, QLabel] = {}
        self.setting_labels: dict[str, QLabel] = {}
        self.site_edits: dict[str, QLineEdit] = {}
        self.site_errors: dict[str, QLabel] = {}
        self.site_labels: dict[str, QLabel] = {}
        self.user_rows: list = []
        self._shown: dict[str, str] = {}  # what was last loaded into each field, to tell typed edits apart
        self._dialog = None
        self.setObjectName("adminPage")
        self._build()
        self.retranslate()
        self.refresh()

    # ---- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = heading("", "adminTitle")
        self.banner = name_widget(QLabel(), "adminReadOnly", "read only")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#fff3e0; color:#6d4c00; padding:6px; border:1px solid #ffcc80;")
        self.banner.setVisible(not self.is_admin)
        self._build_site_box()
        self._build_settings_grid()
        self._build_users_box()
        self._lay_out()
        self._apply_role()

    def _build_site_box(self) -> None:
        """The canteen's name, school, licence, address and time zone, each with its error."""
        self.site_box = QGroupBox()
        self.site_box.setObjectName("adminSiteBox")
        site_grid = QGridLayout(self.site_box)
        for row, key in enumerate(SITE_KEYS):
            label = QLabel()
            edit = name_widget(QLineEdit(), f"site_{key}", key)
            error = name_widget(QLabel(), f"siteError_{key}", key)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            label.setBuddy(edit)
            site_grid.addWidget(label, row, 0)
            site_grid.addWidget(edit, row, 1)
            site_grid.addWidget(error, row, 2)
            self.site_labels[key], self.site_edits[key], self.site_errors[key] = label, edit, error
        site_grid.setColumnStretch(1, 2)
        site_grid.setColumnStretch(2, 1)
        self.save_site_button = name_widget(QPushButton(), "adminSaveSite", "save canteen")
        self.save_site_button.clicked.connect(self.save_site)
        site_grid.addWidget(self.save_site_button, len(SITE_KEYS), 1, Qt.AlignmentFlag.AlignLeft)

    def _build_settings_grid(self) -> None:
        """One row per setting (label, field, its range, its error), then save and revert."""
        self.settings_box = QGroupBox()
        self.settings_box.setObjectName("adminSettingsBox")
        grid = QGridLayout(self.settings_box)
        for row, key in enumerate(CANTEEN_SETTINGS):
            label = QLabel()
            edit = name_widget(QLineEdit(), f"setting_{key}", key)
            hint = QLabel()
            hint.setStyleSheet("color:palette(placeholder-text);")
            error = name_widget(QLabel(), f"settingError_{key}", key)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            label.setBuddy(edit)
            edit.textEdited.connect(lambda _text, k=key: self._check_setting(k))
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(hint, row, 2)
            grid.addWidget(error, row, 3)
            self.setting_labels[key], self.setting_edits[key] = label, edit
            self.setting_hints[key], self.setting_errors[key] = hint, error
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)
        buttons = QHBoxLayout()
        self.save_settings_button = name_widget(QPushButton(), "adminSaveSettings", "save settings")
        self.save_settings_button.clicked.connect(self.save_settings)
        self.revert_button = name_widget(QPushButton(), "adminRevertSettings", "revert")
        self.revert_button.clicked.connect(self.revert)
        self.settings_message = name_widget(QLabel(), "adminSettingsMessage", "message")
        self.settings_message.setWordWrap(True)
        buttons.addWidget(self.save_settings_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.settings_message, 1)
        grid.addLayout(buttons, len(CANTEEN_SETTINGS), 0, 1, 4)

    def _build_users_box(self) -> None:
        """The user accounts and what the administrator can do to the one selected."""
        self.users_box = QGroupBox()
        self.users_box.setObjectName("adminUsersBox")
        users_layout = QVBoxLayout(self.users_box)
        self.users_table = name_widget(QTableWidget(0, 6), "adminUsers", "users")
        self.users_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.users_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users_table.verticalHeader().hide()
        self.users_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.users_table.horizontalHeader().setStretchLastSection(True)
        self.users_table.setMinimumHeight(220)
        self.users_table.itemSelectionChanged.connect(self._enable_user_buttons)
        row = QHBoxLayout()
        self.add_user_button = name_widget(QPushButton(), "adminAddUser", "add user")
        self.reset_button = name_widget(QPushButton(), "adminResetPassword", "reset password")
        self.active_button = name_widget(QPushButton(), "adminToggleActive", "deactivate")
        self.role_button = name_widget(QPushButton(), "adminChangeRole", "change role")
        self.add_user_button.clicked.connect(self.add_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.role_button.clicked.connect(self.change_role)
        for b in (self.add_user_button, self.reset_button, self.active_button, self.role_button):
            row.addWidget(b)
        row.addStretch(1)
        self.users_message = name_widget(QLabel(), "adminUsersMessage", "message")
        self.users_message.setWordWrap(True)
        users_layout.addWidget(self.users_table)
        users_layout.addLayout(row)
        users_layout.addWidget(self.users_message)

    def _lay_out(self) -> None:
        """Banner, the canteen beside the users, the settings below, all in one scroll area."""
        inner = QWidget()
        inner.setObjectName("adminInner")
        body = QVBoxLayout(inner)
        body.addWidget(self.banner)
        top = QHBoxLayout()
        top.addWidget(self.site_box, 2)
        top.addWidget(self.users_box, 3)
        body.addLayout(top)
        body.addWidget(self.settings_box)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("adminScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)

    def _apply_role(self) -> None:
        """Everything that writes is enabled for the admin role only."""
        for widget in [*self.site_edits.values(), *self.setting_edits.values(), self.save_site_button,
                       self.save_settings_button, self.revert_button, self.add_user_button]:
            widget.setEnabled(self.is_admin)
        for edit in [*self.site_edits.values(), *self.setting_edits.values()]:
            edit.setReadOnly(not self.is_admin)
        self._enable_user_buttons()

    def _enable_user_buttons(self) -> None:
        chosen = self.is_admin and self.selected_user() is not None
        for b in (self.reset_button, self.active_button, self.role_button):
            b.setEnabled(chosen)
        user = self.selected_user()
        if user is not None:
            self.active_button.setText(self.tr("Deactivate") if user.active else self.tr("Activate"))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Settings and users"))
        self.banner.setText(self.tr("Only the system administrator can change these. You are signed in as %1.")
                            .replace("%1", role_label(self.session.role)))
        self.site_box.setTitle(self.tr("Canteen"))
        site_names = {"name": self.tr("Canteen &name"), "school": self.tr("&School"),
                      "licence_no": self.tr("Food operation &licence no."), "address": self.tr("&Address"),
                      "timezone": self.tr("&Time zone")}
        for key, text in site_names.items():
            self.site_labels[key].setText(text)
            self.site_edits[key].setAccessibleName(text.replace("&", ""))
        self.save_site_button.setText(self.tr("Save canteen details"))
        self.settings_box.setTitle(self.tr("Thresholds and settings"))
        for key, definition in CANTEEN_SETTINGS.items():
            label = i18n.pick(definition.en, definition.zh)
            self.setting_labels[key].setText(label)
            self.setting_edits[key].setAccessibleName(label)
            self.setting_errors[key].setAccessibleName(self.tr("Problem with %1").replace("%1", label))
            self.setting_hints[key].setText(self._hint(definition))
        self.save_settings_button.setText(self.tr("Save settings"))
        self.revert_button.setText(self.tr("Revert"))
        self.users_box.setTitle(self.tr("Users"))
        self.users_table.setHorizontalHeaderLabels([
            self.tr("User name"), self.tr("Name"), self.tr("Post"), self.tr("Role"), self.tr("State"),
            self.tr("Created on")])
        self.add_user_button.setText(self.tr("Add user…"))
        self.reset_button.setText(self.tr("Reset password…"))
        self.role_button.setText(self.tr("Change role…"))
        for b in (self.add_user_button, self.reset_button, self.role_button, self.save_site_button,
                  self.save_settings_button, self.revert_button):
            b.setAccessibleName(b.text().replace("…", ""))
        self._enable_user_buttons()
        if self.active_button.text() == "":
            self.active_button.setText(self.tr("Deactivate"))
        self.active_button.setAccessibleName(self.active_button.text())
        self._show_users()

    def _hint(self, definition) -> str:
        default = _value_text(definition.default) or self.tr("(empty)")
        if definition.minimum is not None and definition.maximum is not None:
            return self.tr("%1 to %2; default %3").replace("%1", str(definition.minimum)) \
                .replace("%2", str(definition.maximum)).replace("%3", default)
        return self.tr("default %1").replace("%1", default)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show what is stored now, keeping whatever the user has typed and not yet saved."""
        self._load(keep_edits=True)

    def revert(self) -> None:
        """Throw away unsaved edits: the Revert button."""
        self._load(keep_edits=False)

    def _load(self, keep_edits: bool) -> None:
        site = read_admin.site_info(self.session)
        stored = {**{f"site:{k}": getattr(site, k) or "" for k in SITE_KEYS},
                  **{f"setting:{k}": _value_text(v) for k, v in read_admin.setting_values(self.session).items()}}
        edits = {**{f"site:{k}": e for k, e in self.site_edits.items()},
                 **{f"setting:{k}": e for k, e in self.setting_edits.items()}}
        for name, edit in edits.items():
            typed = keep_edits and edit.text() != self._shown.get(name, edit.text())
            if not typed:
                edit.setText(stored[name])
                self._error_label(name).clear()
        self._shown = stored
        self.settings_message.clear()
        self._load_users()
        self.loaded.emit()

    def _error_label(self, name: str) -> QLabel:
        group, key = name.split(":", 1)
        return (self.site_errors if group == "site" else self.setting_errors)[key]

    def _load_users(self) -> None:
        if self.session.role not in permissions.USER_READERS:
            self.user_rows = []
            self.users_message.setText(self.tr("The user list is shown to the administrator and the auditor."))
        else:
            self.user_rows = read_admin.users(self.session)
        self._show_users()

    def _show_users(self) -> None:
        self.users_table.setRowCount(len(self.user_rows))
        for row, user in enumerate(self.user_rows):
            state = self.tr("Active") if user.active else self.tr("Deactivated")
            if user.active and user.must_change_password:
                state = self.tr("Must change password")
            cells = (user.username, user.display_name, user.post, role_label(user.role), state,
                     fmt_date(to_local(user.created_at, self.session.tz).date()))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text or "")
                if not user.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.users_table.setItem(row, column, item)
        self._enable_user_buttons()

    def selected_user(self):
        rows = self.users_table.selectionModel().selectedRows() if self.users_table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.user_rows):
            return None
        return self.user_rows[rows[0].row()]

    # ---- settings and site -----------------------------------------------------------------------

    def _check_setting(self, key: str) -> bool:
        """As you type: the value is parsed the way the core will parse it."""
        try:
            settings.DEFS[key].parse(self.setting_edits[key].text())
        except ValidationError as exc:
            self.setting_errors[key].setText(exc.text(i18n.language()))
            return False
        self.setting_errors[key].clear()
        return True

    def changed_settings(self) -> dict[str, str]:
        stored = read_admin.setting_values(self.session)
        return {key: edit.text() for key, edit in self.setting_edits.items()
                if edit.text().strip() != _value_text(stored[key]).strip()}

    def save_settings(self) -> None:
        changes = self.changed_settings()
        if not changes:
            self.settings_message.setText(self.tr("Nothing has changed."))
            return
        for key in self.setting_errors:
            self.setting_errors[key].clear()
        try:
            site_admin.update_settings(self.session, changes)
        except ValidationError as exc:
            label = self.setting_errors.get(exc.field)
            if label is not None:
                label.setText(exc.text(i18n.language()))
                self.setting_edits[exc.field].setFocus()
            self._say(self.settings_message, self.tr("Nothing was saved: %1").replace("%1", exc.text(i18n.language())))
            return
        except CanteenError as exc:
            self._say(self.settings_message, self.tr("Nothing was saved: %1").replace("%1", error_text(exc)))
            return
        self.refresh()
        self._say(self.settings_message, self.tr("%n setting(s) saved.", "", len(changes)), ok=True)

    def save_site(self) -> None:
        for label in self.site_errors.values():
            label.clear()
        fields = {key: edit.text() for key, edit in self.site_edits.items()}
        try:
            site_admin.update_site(self.session, **fields)
        except ValidationError as exc:
            label = self.site_errors.get(exc.field)
            if label is not None:
                label.setText(exc.text(i18n.language()))
            self.status_message.emit(self.tr("Nothing was saved: %1").replace("%1", exc.text(i18n.language())))
            return
        except CanteenError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), error_text(exc))
            return
        self.status_message.emit(self.tr("Canteen details saved."))
        self.refresh()

    def _say(self, label: QLabel, text: str, ok: bool = False) -> None:
        label.setStyleSheet("color:#2e7d32;" if ok else ERROR_STYLE)
        label.setText(text)
        self.status_message.emit(text)

    # ---- users -------------------------------------------------------------------------------

    def add_user(self) -> None:
        dialog = UserDialog(self, self.tr("Add user"), with_identity=True)
        dialog.buttons.accepted.connect(lambda: self._submit_new_user(dialog))
        self._dialog = dialog
        dialog.open()

    def _submit_new_user(self, dialog: UserDialog) -> None:
        if not dialog.passwords_match():
            return
        v = dialog.values()
        dialog.busy(True)
        run_task(users.create_user, self.session, v["username"], v["display_name"], v["role"], v["password"],
                 post=v["post"],
                 on_done=lambda _user: self._user_done(dialog, self.tr("User %1 added.").replace("%1", v["username"])),
                 on_error=lambda exc: self._user_failed(dialog, exc))

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        dialog = UserDialog(self, self.tr("New password for %1").replace("%1", user.username), with_identity=False)
        dialog.buttons.accepted.connect(lambda: self._submit_reset(dialog, user.username))
        self._dialog = dialog
        dialog.open()

    def _submit_reset(self, dialog: UserDialog, username: str) -> None:
        if not dialog.passwords_match():
            return
        dialog.busy(True)
        run_task(users.reset_password, self.session, username, dialog.password.text(),
                 on_done=lambda _r: self._user_done(dialog, self.tr("Password of %1 reset.").replace("%1", username)),
                 on_error=lambda exc: self._user_failed(dialog, exc))

    def _user_done(self, dialog: UserDialog, text: str) -> None:
        dialog.accept()
        self._load_users()
        self._say(self.users_message, text, ok=True)

    def _user_failed(self, dialog: UserDialog, exc: BaseException) -> None:
        dialog.busy(False)
        dialog.error.setText(error_text(exc))

    def toggle_active(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        if user.active:
            answer = QMessageBox.question(self, self.tr("Deactivate user"), self.tr(
                "Deactivate %1? They can no longer sign in; their records and signatures stay.").replace("%1", user.username))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._user_action(users.set_active, user.username, not user.active)

    def change_role(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        names = [role_label(value) for value, _en, _zh in ROLES]
        current = [value for value, _en, _zh in ROLES].index(user.role) if user.role in [r[0] for r in ROLES] else 0
        chosen, ok = QInputDialog.getItem(self, self.tr("Change role"),
                                          self.tr("New role of %1:").replace("%1", user.username), names, current, False)
        if ok:
            self._user_action(users.set_role, user.username, ROLES[names.index(chosen)][0])

    def _user_action(self, action, username: str, value) -> None:
        try:
            action(self.session, username, value)
        except CanteenError as exc:
            self._say(self.users_message, error_text(exc))
            return
        self._load_users()
        self._say(self.users_message, self.tr("User %1 changed.").replace("%1", username), ok=True)
