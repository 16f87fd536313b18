"""What the dashboard's browser tests share: a free port, a polling wait, a `pulse` server with
an admin token (and, by default, the dashboard login), headless Chromium, and stopping what a
test started."""

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request

from selenium import webdriver


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for(description, check, timeout=60):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as error:  # the page may be mid-render
            last = error
        time.sleep(0.25)
    raise AssertionError('timed out waiting for {0} (last error: {1})'.format(description, last))


class Server:
    """`pulse` on a free loopback port with its data in `work`; answers /api/health before it returns."""

    def __init__(self, binary, work, password=None, name='server', environment=None, arguments=()):
        self.token = secrets.token_hex(32)
        token_file = os.path.join(work, name + '-admin-token')
        with open(token_file, 'w') as f:
            f.write(self.token)
        self.port = free_port()
        self.url = 'http://127.0.0.1:{0}'.format(self.port)
        env = dict(os.environ, PULSE_AUTH_USER='admin', PULSE_AUTH_PASS=password) if password else dict(os.environ)
        env.update((environment or (lambda url: {}))(self.url))
        self.log = open(os.path.join(work, name + '.log'), 'w')
        self.process = subprocess.Popen(
            [binary, '--data-dir', os.path.join(work, name + '-data'), '--bind-address', '127.0.0.1', '--port', str(self.port),
             '--api-tokens-file', token_file, '--log-level', 'warning', *arguments],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                self.call('GET', '/api/health')
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise RuntimeError('pulse did not answer /api/health')

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.url + path, method=method, headers={'X-API-Token': self.token, 'Content-Type': 'application/json'},
                                         data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return json.loads(text) if text else None

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def chromium():
    """Headless Debian Chromium at 1280×900 keeping the page's console."""
    options = webdriver.ChromeOptions()
    options.binary_location = '/usr/bin/chromium'
    for flag in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1280,900'):
        options.add_argument(flag)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path='/usr/bin/chromedriver'))


def stop_all(started):
    """Stops the processes a test started, newest first."""
    for process in reversed(started):
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
