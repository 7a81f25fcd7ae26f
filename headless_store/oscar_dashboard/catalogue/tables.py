"""Oscar 4.2's product and category tables offer a sort link on their checkbox column, and
sorting by it answers 500 (FieldError: Cannot resolve keyword 'checkbox'). Not orderable here."""
from django_tables2 import TemplateColumn
from oscar.apps.dashboard.catalogue import tables
from oscar.apps.dashboard.catalogue.tables import *  # noqa: F403 - Oscar's other tables, unchanged


class ProductTable(tables.ProductTable):
    checkbox = TemplateColumn(verbose_name="", template_name="oscar/dashboard/catalogue/product_row_checkbox.html",
                              orderable=False)


class CategoryTable(tables.CategoryTable):
    checkbox = TemplateColumn(verbose_name="", template_name="oscar/dashboard/catalogue/category_row_checkbox.html",
                              orderable=False)
