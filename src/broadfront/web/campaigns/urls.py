"""URLs of the "Bloc building" area (/blocs/)."""

from __future__ import annotations

from django.urls import path

from broadfront.web.campaigns import views

urlpatterns = [
    path("", views.campaign_list, name="index"),
    path("squads/<int:pk>/", views.squad, name="squad"),
    path("<slug:slug>/", views.campaign, name="campaign"),
    path("<slug:slug>/targets/", views.target_table, name="targets"),
    path("<slug:slug>/convention/", views.convention, name="convention"),
    path("<slug:slug>/squads/", views.campaign_squads, name="squads"),
    path("<slug:slug>/recruits/<int:pk>/status/", views.recruit_status, name="recruit-status"),
    path("<slug:slug>/precincts/<int:division_id>/", views.precinct, name="precinct"),
    path("<slug:slug>/precincts/<int:division_id>/calculate/", views.calculate, name="calculate"),
    path("<slug:slug>/precincts/<int:division_id>/result/", views.save_result, name="save-result"),
    path("<slug:slug>/precincts/<int:division_id>/squads/", views.squad_new, name="squad-new"),
    path("<slug:slug>/precincts/<int:division_id>/recruits/", views.recruit_new,
         name="recruit-new"),
]
