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
import shutil
import subprocess
import sys
import tempfile
import time

from browser_support import Server, chromium, stop_all, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = 'an assistant browser passphrase'


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

        server = Server(args.pulse, work, password=PASSWORD)
        started.append(server.process)
        url = server.url
        call = server.call
        now = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
        call('POST', '/api/agents/host/report', {
            'agent': {'id': 'browser-agent', 'version': '1.0.0', 'type': 'unified', 'intervalSeconds': 30},
            'host': {'hostname': 'browser-host', 'cpuCount': 2},
            'metrics': {'cpuUsagePercent': 12.5, 'memory': {'totalBytes': 1000, 'usedBytes': 500}}, 'timestamp': now})
        call('PUT', '/api/settings/ai/update', {
            'enabled': True, 'model': 'openai:tool-then-answer', 'openai_base_url': provider + '/v1', 'openai_api_key': 'sk-browser-test',
            'allowed_private_targets': ['127.0.0.0/8']})

        driver = chromium()
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
        stop_all(started)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
