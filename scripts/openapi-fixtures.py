#!/usr/bin/env python3
"""Gives the OpenAPI fuzzing something to find: a host, a Docker host with a pending command, a
Kubernetes cluster, a Proxmox instance that cannot be reached, the fakepve, PBS and PMG peers, and
a webhook on a fresh `pulse`; waits until the peers have been polled; then writes the schemathesis
configuration that sends their IDs to the operations taking an `{id}` (generated IDs would only
ever reach the 404 branch).

    openapi-fixtures.py BASE_URL CONFIG_OUT PVE_PEER_JSON PBS_PMG_PEER_JSON
    (the admin token in PULSE_OPENAPI_TOKEN; the peers' files hold the line each printed)
"""
import json
import os
import sys
import time
import urllib.request

base, config_path, pve_file, pbs_pmg_file = sys.argv[1:5]
admin = os.environ["PULSE_OPENAPI_TOKEN"]


def call(method, path, body=None, token=admin):
    request = urllib.request.Request(
        base + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"X-API-Token": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
        return json.loads(text) if text else None


now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
# Reports with a token of their own: the admin token stays free for the fuzzer's reports.
reporter = call("POST", "/api/security/tokens", {"name": "openapi fixtures",
                                                "scopes": ["host-agent:report", "docker:report", "kubernetes:report"]})["token"]
host = call("POST", "/api/agents/host/report", {
    "agent": {"id": "fixture-agent", "version": "1.0.0", "type": "unified", "intervalSeconds": 10},
    "host": {"id": "fixture-host", "hostname": "fixture-host", "cpuCount": 2},
    "metrics": {"cpuUsagePercent": 12.5, "memory": {"totalBytes": 1000, "usedBytes": 500}},
    "sensors": {"temperatureCelsius": {"cpu_package": 45.0}}, "timestamp": now}, reporter)["hostId"]
docker = call("POST", "/api/agents/docker/report", {
    "agent": {"id": "fixture-docker-agent", "version": "1.0.0", "intervalSeconds": 10},
    "host": {"hostname": "fixture-docker", "totalCpu": 2, "memory": {"totalBytes": 1000, "usedBytes": 100}},
    "containers": [{"id": "c0ffee", "name": "/web", "image": "nginx", "state": "running", "status": "Up",
                    "createdAt": now, "cpuPercent": 1.5, "memoryUsageBytes": 10, "memoryLimitBytes": 100, "memoryPercent": 10}],
    "timestamp": now}, reporter)["hostId"]
cluster = call("POST", "/api/agents/kubernetes/report", {
    "agent": {"id": "fixture-kube-agent", "version": "1.0.0", "intervalSeconds": 10},
    "cluster": {"id": "fixture-cluster", "name": "fixture"}, "timestamp": now}, reporter)["clusterId"]
# The Docker agent is online, so removing its host queues a stop command for it to acknowledge.
command = call("DELETE", f"/api/agents/docker/hosts/{docker}")["commandId"]
node = call("POST", "/api/config/nodes", {"type": "pve", "name": "fixture-pve", "host": "pve.invalid",
                                          "user": "root@pam", "password": "fixture"})["id"]
pve = json.loads(open(pve_file).readline())
peers = json.loads(open(pbs_pmg_file).readline())
for kind, name, endpoint in [("pve", "lab", pve), ("pbs", "backup", peers["pbs"])]:
    call("POST", "/api/config/nodes", {"type": kind, "name": name, "host": endpoint["url"], "tokenName": endpoint["tokenId"],
                                       "tokenValue": endpoint["tokenSecret"], "fingerprint": endpoint["fingerprint"]})
call("POST", "/api/config/nodes", {"type": "pmg", "name": "mail", "host": peers["pmg"]["url"], "user": peers["pmg"]["tokenId"].split("!")[0],
                                   "password": peers["pmg"]["password"], "fingerprint": peers["pmg"]["fingerprint"]})
deadline = time.time() + 90
while True:
    state = call("GET", "/api/state")
    polled = {key: len(state[key]) for key in ["nodes", "vms", "containers", "storage", "pbs", "pmg", "pbsBackups"]}
    if all(polled.values()) and state["pveBackups"]["storageBackups"] or time.time() > deadline:
        break
    time.sleep(1)
if not all(polled.values()):
    print(f"openapi: warning: not everything was polled in time: {polled}")
webhook = call("POST", "/api/notifications/webhooks", {"name": "fixture", "url": "https://192.0.2.10/hook", "service": "generic"})["id"]

operations = [
    ("^/api/agents/host/\\{id\\}/", {"id": host}),
    ("^/api/agents/docker/hosts/\\{id\\}/", {"id": docker}),
    ("^/api/agents/kubernetes/clusters/\\{id\\}/", {"id": cluster}),
    ("^/api/agents/docker/commands/\\{id\\}/ack$", {"id": command}),
    ("^/api/config/nodes/\\{id\\}", {"id": node}),
    ("^/api/notifications/webhooks/\\{id\\}$", {"id": webhook}),
    ("^/api/metrics-store/history$", {"resourceType": "host", "resourceId": host}),
    ("^/api/storage/\\{id\\}$", {"id": "lab-pve1"}),
]
with open(config_path, "w") as config:
    config.write('headers = { "X-API-Token" = "${PULSE_OPENAPI_TOKEN}" }\n')
    for regex, parameters in operations:
        values = ", ".join(f'{json.dumps(k)} = {json.dumps(v)}' for k, v in parameters.items())
        config.write(f'\n[[operations]]\ninclude-path-regex = {json.dumps(regex)}\nparameters = {{ {values} }}\n')
print(f"openapi: fixtures host {host}, Docker host {docker} (command {command}), cluster {cluster}, node {node}, webhook {webhook}; polled {polled}")
