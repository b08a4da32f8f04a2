"""URLs of the "Our power" (/power/) and "Leaders" (/leaders/) areas."""

from __future__ import annotations

from django.urls import path

from broadfront.web.organizations import audit_views, views

power_patterns = [
    path("", views.power, name="index"),
    path("report/<slug:slug>/", views.report, name="report"),
    path("audit/<slug:slug>/", audit_views.audit_log, name="audit"),
    path("events/new/", views.event_new, name="event-new"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event, name="event"),
]

leaders_patterns = [
    path("", views.leaders, name="index"),
    path("stage/<str:stage>/", views.stage, name="stage"),
]
