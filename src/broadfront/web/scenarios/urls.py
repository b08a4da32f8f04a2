"""URLs of the "Scenarios" area (/scenarios/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.scenarios import sweep_views, views

urlpatterns = [
    path("", views.scenario_list, name="index"),
    path("new/", views.scenario_new, name="new"),
    path("new/race-fields/", views.race_fields, name="race-fields"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.scenario, name="scenario"),
    path("<int:pk>/shock-form/", views.shock_form, name="shock-form"),
    path("<int:pk>/shocks/", views.add_shock, name="add-shock"),
    path("<int:pk>/shocks/<int:index>/remove/", views.remove_shock, name="remove-shock"),
    path("<int:pk>/members/", views.set_members, name="members"),
    path("<int:pk>/counting/", views.set_rule, name="counting"),
    path("<int:pk>/edit/", views.edit_spec, name="edit"),
    path("<int:pk>/copy/", views.copy, name="copy"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/run/", views.run_start, name="run-start"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="run-status"),
    path("<int:pk>/sweep/", sweep_views.sweep_start, name="sweep-start"),
    path("sweeps/<int:pk>/", sweep_views.sweep, name="sweep"),
]
