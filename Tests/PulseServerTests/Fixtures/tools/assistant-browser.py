"""The dashboard's Assistant panel in a real browser (Debian's chromium, driven by Selenium), against
a real `pulse` whose assistant talks to the provider fixture (ai-provider-fixture.py) as
OpenAI-compatible: signs in, asks a question, and sees the answer stream in and the tool call it
made with its output. Fails on any browser console error (but the 401s before signing in). Saves a screenshot in DIR.

    assistant-browser.py --pulse BIN --fixture-python PY --fixture SCRIPT --artifacts DIR

Exits 0 on success; otherwise prints what failed and exits 1.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = 'an assistant browser passphrase'


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pulse', required=True)
    parser.add_argument('--fixture-python', required=True)
    parser.add_argument('--fixture', required=True)
    parser.add_argument('--artifacts', required=True)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix='pulse-assistant-browser-')
    started = []
    try:
        fixture = subprocess.Popen([args.fixture_python, args.fixture, work], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        started.append(fixture)
        provider = json.loads(fixture.stdout.readline())['url']

        token = secrets.token_hex(32)
        token_file = os.path.join(work, 'admin-token')
        with open(token_file, 'w') as f:
            f.write(token)
        port = free_port()
        url = 'http://127.0.0.1:{0}'.format(port)
        log = open(os.path.join(work, 'server.log'), 'w')
        server = subprocess.Popen(
            [args.pulse, '--data-dir', os.path.join(work, 'data'), '--bind-address', '127.0.0.1', '--port', str(port),
             '--api-tokens-file', token_file, '--log-level', 'warning'],
            env=dict(os.environ, PULSE_AUTH_USER='admin', PULSE_AUTH_PASS=PASSWORD), stdout=log, stderr=subprocess.STDOUT)
        started.append(server)

        def call(method, path, body=None):
            request = urllib.request.Request(url + path, method=method, headers={'X-API-Token': token, 'Content-Type': 'application/json'},
                                             data=None if body is None else json.dumps(body).encode())
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read()
                return json.loads(text) if text else None

        wait_for('pulse to answer /api/health', lambda: call('GET', '/api/health'))
        now = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
        call('POST', '/api/agents/host/report', {
            'agent': {'id': 'browser-agent', 'version': '1.0.0', 'type': 'unified', 'intervalSeconds': 30},
            'host': {'hostname': 'browser-host', 'cpuCount': 2},
            'metrics': {'cpuUsagePercent': 12.5, 'memory': {'totalBytes': 1000, 'usedBytes': 500}}, 'timestamp': now})
        call('PUT', '/api/settings/ai/update', {
            'enabled': True, 'model': 'openai:tool-then-answer', 'openai_base_url': provider + '/v1', 'openai_api_key': 'sk-browser-test',
            'allowed_private_targets': ['127.0.0.0/8']})

        options = webdriver.ChromeOptions()
        options.binary_location = '/usr/bin/chromium'
        for flag in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1280,900'):
            options.add_argument(flag)
        options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path='/usr/bin/chromedriver'))
        console = []
        try:
            wait = WebDriverWait(driver, 30)
            driver.get(url + '/')
            wait.until(EC.visibility_of_element_located((By.ID, 'login-form')))
            form = driver.find_element(By.ID, 'login-form')
            form.find_element(By.NAME, 'username').send_keys('admin')
            form.find_element(By.NAME, 'password').send_keys(PASSWORD)
            form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
            wait.until(EC.invisibility_of_element_located((By.ID, 'login-form')))
            driver.find_element(By.CSS_SELECTOR, '#nav a[href="#/assistant"]').click()
            ask = wait.until(EC.visibility_of_element_located((By.ID, 'assistant-form')))
            ask.find_element(By.NAME, 'prompt').send_keys('Which hosts do I have?')
            ask.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
            answer = wait_for('the streamed answer', lambda: 'browser-host' in driver.find_element(By.ID, 'assistant-answer').text
                              and driver.find_element(By.ID, 'assistant-answer').text)
            assert answer.startswith('Here is what the tool said:'), answer
            wait_for('the tool call', lambda: 'get_state_summary' in driver.find_element(By.ID, 'assistant-tools').text)
            wait_for('the summary line', lambda: 'tokens in' in driver.find_element(By.ID, 'assistant-status').text)
            # The tool's output is shown when its entry is opened.
            driver.find_element(By.CSS_SELECTOR, '#assistant-tools summary').click()
            wait_for('the tool output', lambda: 'browser-host' in driver.find_element(By.CSS_SELECTOR, '#assistant-tools pre').text)
            driver.save_screenshot(os.path.join(args.artifacts, 'dashboard-assistant.png'))
            print('assistant: answered, 1 tool call shown; status:', driver.find_element(By.ID, 'assistant-status').text)
        finally:
            console.extend(driver.get_log('browser'))
            driver.quit()
        # The shell's requests before signing in are 401s the page handles; Chrome logs them as
        # failed resources, and they are filtered out as in dashboard-browser.py.
        errors = [entry for entry in console if entry['level'] == 'SEVERE' and 'status of 401' not in entry['message']]
        if errors:
            print('browser console errors:', json.dumps(errors, indent=1))
            return 1
        return 0
    except Exception as error:
        print('assistant-browser failed:', error)
        return 1
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
