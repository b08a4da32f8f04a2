"""Simulated organizers for the load benchmark (``benchmarks/load_bench.py``).

Each simulated user signs in as one of the demo logins (password ``broadfront-demo``) and
browses as an organizer does the night before a convention: the dashboard, our people (with a
search), the power page, the coalition's scorecards, the leaders page, the bloc campaign, a
council's alignment, decisions, alerts; now and then starts a scenario run and polls it.
Requests are named by page so the report lists each page's latencies.
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

LOGINS = ["ana", "grace", "hector", "cora", "ben"]
PASSWORD = "broadfront-demo"


class Organizer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.login = random.choice(LOGINS)
        page = self.client.get("/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post("/login/", name="sign in", data={
            "username": self.login, "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/login/"})
        self.scenarios: list[str] = []
        listing = self.client.get("/scenarios/", name="/scenarios/")
        self.scenarios = sorted(set(re.findall(r'href="(/scenarios/\d+/)"', listing.text)))

    @task(5)
    def dashboard(self) -> None:
        self.client.get("/", name="/ (dashboard)")

    @task(3)
    def people(self) -> None:
        self.client.get("/power/people/", name="/power/people/")
        self.client.get(f"/power/people/?q={random.choice('abcdefghjklmnoprst')}",
                        name="/power/people/?q=")

    @task(3)
    def power(self) -> None:
        self.client.get("/power/", name="/power/")

    @task(3)
    def scorecards(self) -> None:
        self.client.get("/coalition/", name="/coalition/")

    @task(2)
    def leaders(self) -> None:
        self.client.get("/leaders/", name="/leaders/")

    @task(2)
    def blocs(self) -> None:
        self.client.get("/blocs/", name="/blocs/")

    @task(2)
    def landscape(self) -> None:
        self.client.get("/landscape/", name="/landscape/")

    @task(1)
    def alignment(self) -> None:
        self.client.get("/landscape/bodies/riverton-city-council/alignment/",
                        name="council alignment")

    @task(2)
    def decisions(self) -> None:
        self.client.get("/decisions/", name="/decisions/")

    @task(1)
    def run_a_scenario(self) -> None:
        if not self.scenarios:
            return
        url = random.choice(self.scenarios)
        page = self.client.get(url, name="scenario page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        run = re.search(r'action="(/scenarios/\d+/run/)"', page.text)
        if not token or not run:
            return
        self.client.post(run.group(1), name="start a scenario run",
                         data={"csrfmiddlewaretoken": token.group(1), "draws": "5000"},
                         headers={"Referer": f"{self.host}{url}"})
