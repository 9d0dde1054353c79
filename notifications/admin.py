from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ChannelPreference, Delivery, DeliveryState, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "state", "attempts", "not_before", "sent_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "title", "due_key", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__username", "kind", "due_key"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Deliveries with their state and last error; failed ones can be sent again."""

    list_display = ["created_at", "channel", "state", "attempts", "not_before", "sent_at", "recipient", "short_error"]
    list_filter = ["state", "channel"]
    search_fields = ["notification__recipient__username", "notification__kind", "last_error"]
    list_select_related = ["notification__recipient"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry"]

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.notification.recipient

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新发送选中的失败投递"))
    def retry(self, request, queryset):
        count = services.retry_deliveries(
            actor=request.user,
            delivery_ids=list(queryset.filter(state=DeliveryState.FAILED).values_list("pk", flat=True)),
        )
        self.message_user(
            request,
            ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", count) % {"n": count},
            messages.SUCCESS,
        )


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "enabled", "address", "updated_at"]
    list_filter = ["channel", "enabled"]
    search_fields = ["user__username", "address"]
    raw_id_fields = ["user"]
