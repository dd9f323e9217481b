from django.contrib import admin

from .models import Question, Topic


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 1
    fields = ["question", "answer", "order", "published"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "order", "published"]
    list_editable = ["order", "published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["question", "topic", "order", "published"]
    list_editable = ["order", "published"]
    list_filter = ["topic", "published"]
    search_fields = ["question", "answer"]
