from django.apps import AppConfig


class MinsideConfig(AppConfig):
    name = "minside"
    verbose_name = "Min Side"
