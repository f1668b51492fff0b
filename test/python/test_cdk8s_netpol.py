"""The Python package end to end: constructs synthesise, the analyser answers, the CLI runs.

Needs the installed wheel and its dependencies from PyPI (jsii, cdk8s, constructs, publication):
    python3 -m venv .venv && .venv/bin/pip install dist/python/cdk8s_netpol-*.whl
    .venv/bin/python -m unittest discover -s test/python -p 'test_*.py' -v
"""

import shutil
import subprocess
import unittest

import cdk8s
import cdk8s_netpol as netpol


def deployment(name: str) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": name, "image": "nginx"}]}},
        },
    }


class PythonPackageTest(unittest.TestCase):
    def setUp(self):
        self.app = cdk8s.App()
        self.chart = cdk8s.Chart(self.app, "shop", namespace="shop")
        db = netpol.NetworkPolicy(self.chart, "db", pod_selector=netpol.Pods.with_labels({"app": "db"}))
        db.allow_from(netpol.Pods.with_labels({"app": "api"})).to_port(5432)
        api = netpol.CiliumNetworkPolicy(self.chart, "api", endpoint_selector=netpol.Endpoints.with_labels({"app": "api"}))
        api.allow_from(netpol.Endpoints.with_labels({"app": "web"})).to_port(8080)

    def test_a_network_policy_and_a_cnp_synthesise(self):
        manifests = self.chart.to_json()
        self.assertEqual(sorted(m["kind"] for m in manifests), ["CiliumNetworkPolicy", "NetworkPolicy"])
        np = next(m for m in manifests if m["kind"] == "NetworkPolicy")
        self.assertEqual(np["spec"]["podSelector"], {"matchLabels": {"app": "db"}})
        self.assertEqual(np["spec"]["ingress"][0]["ports"], [{"port": 5432, "protocol": "TCP"}])
        cnp = next(m for m in manifests if m["kind"] == "CiliumNetworkPolicy")
        self.assertEqual(cnp["spec"]["endpointSelector"], {"matchLabels": {"app": "api"}})

    def test_the_analysis_answers_as_in_typescript(self):
        analysis = netpol.ConnectivityAnalysis.from_chart(self.chart, [deployment(n) for n in ("web", "api", "db")])
        self.assertTrue(analysis.is_allowed(from_="shop/web", to="shop/api", port=8080).allowed)
        self.assertFalse(analysis.is_allowed(from_="shop/web", to="shop/api", port=9090).allowed)
        self.assertFalse(analysis.is_allowed(from_="shop/web", to="shop/db", port=5432).allowed)
        self.assertTrue(analysis.is_allowed(from_="shop/api", to="shop/db", port=5432).allowed)
        self.assertIn("shop/api[Deployment] => shop/db[Deployment] : TCP 5432", analysis.to_text())

    def test_workloads_as_subjects_and_peers(self):
        # Pods.of takes any ApiObject with a pod template: a cdk8s-plus-33 workload, an L1
        # KubeDeployment, or (here, with cdk8s alone) a plain ApiObject whose spec is patched in.
        chart = cdk8s.Chart(self.app, "workloads", namespace="shop")
        workloads = {}
        for name in ("api", "db"):
            obj = cdk8s.ApiObject(chart, name, api_version="apps/v1", kind="Deployment", metadata=cdk8s.ApiObjectMetadata(name=name))
            obj.add_json_patch(cdk8s.JsonPatch.add("/spec", deployment(name)["spec"]))
            workloads[name] = obj
        db = netpol.NetworkPolicy(chart, "db-np", pod_selector=netpol.Pods.of(workloads["db"]))
        db.allow_from(netpol.Pods.of(workloads["api"])).to_port(5432)
        np = next(m for m in chart.to_json() if m["kind"] == "NetworkPolicy")
        self.assertEqual(np["spec"]["podSelector"], {"matchLabels": {"app": "db"}})
        self.assertEqual(np["spec"]["ingress"][0]["from"], [{"podSelector": {"matchLabels": {"app": "api"}}}])

    def test_the_cli_console_script_prints_the_version(self):
        cli = shutil.which("cdk8s-netpol")
        self.assertIsNotNone(cli, "the wheel's console script cdk8s-netpol is not on PATH")
        out = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True)
        self.assertRegex(out.stdout.strip(), r"^\d+\.\d+\.\d+")


if __name__ == "__main__":
    unittest.main()
