from django.urls import path

from . import views

app_name = "formbuilder"

_case = "<str:code>/<int:position>/"

urlpatterns = [
    path("", views.case_list, name="cases"),
    path(_case, views.builder, name="builder"),
    path(_case + "them-truong/", views.add_field, name="add_field"),
    path(_case + "truong/<str:path>/", views.edit_field, name="edit_field"),
    path(_case + "truong/<str:path>/xoa/", views.remove_field, name="remove_field"),
    path(_case + "truong/<str:path>/di-chuyen/", views.move_field, name="move_field"),
    path(_case + "buoc/them/", views.add_step, name="add_step"),
    path(_case + "buoc/<int:index>/", views.change_step, name="change_step"),
    path(_case + "dieu-kien/them/", views.add_condition, name="add_condition"),
    path(_case + "dieu-kien/<int:index>/xoa/", views.remove_condition, name="remove_condition"),
    path(_case + "quy-tac/them/", views.add_rule, name="add_rule"),
    path(_case + "quy-tac/<int:index>/xoa/", views.remove_rule, name="remove_rule"),
    path(_case + "xem-truoc/", views.preview, name="preview"),
    path(_case + "xuat-ban/", views.publish, name="publish"),
    path(_case + "huy-ban-nhap/", views.discard, name="discard"),
    path(_case + "schema.json", views.schema_download, name="schema"),
]
