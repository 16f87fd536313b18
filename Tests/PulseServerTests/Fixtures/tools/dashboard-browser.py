"""The dashboard in a real browser: Debian's chromium, driven by Selenium, against a real `pulse`
fed by a fakepve cluster and a local `pulse-agent` reporting this machine.

    dashboard-browser.py --pulse BIN --agent BIN --peer-python PY --peer SCRIPT --oidc-provider BIN --artifacts DIR [--guests N]

Logs in, sees nodes, guests and the agent's host, opens the host's page from its row (a history
chart with points, its parts, surviving a reload) and saves an alert override for it through the
form (a refusal shown beside its field first), acknowledges an alert, walks the settings sections,
adds an API token and, when the server has a history store, sees a chart. Then signs in to a
server with only API tokens (read-only), to one through single sign-on at oidc-provider-mock, to an
empty one (first run: a Proxmox connection test, the agent install command, the agent appearing
live) and to one in demo mode with 5,000 guests (sorted and searched). Saves a screenshot per view
in DIR and fails on any browser console error. Prints the page weight (gzip bytes of everything
the first load fetched) and the time to first render of a host page and of the 5,000-guest table
from the browser's performance timeline.
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
import urllib.parse
import urllib.request

from browser_support import Server, chromium, free_port, stop_all, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = 'a browser test passphrase'


def pulse_server(binary, work, with_user=True, name=None, environment=None):
    """A server polling Proxmox every 2 s; with the dashboard login unless `with_user` is false."""
    return Server(binary, work, password=PASSWORD if with_user else None, name=name or ('server' if with_user else 'api-only-server'),
                  environment=environment, arguments=('--pve-polling-interval', '2'))


# The browser console of Pulse's pages; the identity provider's own page is not ours to judge.
CONSOLE = []


def keep_console(driver):
    CONSOLE.extend(driver.get_log('browser'))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--pulse', required=True)
    parser.add_argument('--agent', required=True)
    parser.add_argument('--peer-python', required=True)
    parser.add_argument('--peer', required=True)
    parser.add_argument('--oidc-provider', required=True, help="oidc-provider-mock's executable")
    parser.add_argument('--artifacts', required=True)
    parser.add_argument('--guests', type=int, default=6)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix='pulse-browser-')
    started = []
    try:
        peer = subprocess.Popen([args.peer_python, args.peer, work, '--nodes', '2', '--guests', str(args.guests), '--backups'],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        started.append(peer)
        info = json.loads(peer.stdout.readline())
        server = pulse_server(args.pulse, work)
        started.append(server.process)
        server.call('POST', '/api/config/nodes', {'type': 'pve', 'name': 'lab', 'host': info['url'], 'tokenName': info['tokenId'],
                                                   'tokenValue': info['tokenSecret'], 'fingerprint': info['fingerprint']})
        # Every reporting host trips its CPU alert at once, so there is an alert to acknowledge.
        server.call('POST', '/api/alerts/', {'hostDefaults': {'cpu': {'trigger': 0, 'clear': 0}}, 'timeThreshold': 0, 'timeThresholds': {}})
        install = server.call('POST', '/api/agent-install-command', {'type': 'host'})
        agent_token = os.path.join(work, 'agent-token')
        with open(agent_token, 'w') as f:
            f.write(install['token'])
        agent = subprocess.Popen([args.agent, '--url', server.url, '--token-file', agent_token, '--interval', '5s', '--health-addr', 'off',
                                  '--buffer-dir', os.path.join(work, 'buffer'), '--disable-auto-update', '--log-level', 'warning'],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(agent)
        hostname = socket.gethostname()

        driver = chromium()
        try:
            run(driver, server, args, hostname)
            see_stale_data(driver, peer, server, args)
            api_only = pulse_server(args.pulse, work, with_user=False)
            started.append(api_only.process)
            run_api_only(driver, api_only, args)
            run_single_sign_on(driver, args, work, started)
            run_first_run(driver, args, work, started, info)
            run_large_estate(driver, args, work, started)
        finally:
            keep_console(driver)
            driver.quit()
        errors = [entry for entry in CONSOLE if entry['level'] == 'SEVERE']
        # The login page's deliberate failed attempt is not part of this list: it is a 401 the
        # page handles, which Chrome logs as a failed resource. Nor are the deliberate refusals
        # the forms show beside their fields (400s): the metadata editor's script URL, the alert
        # override's clear level above its trigger. Any other 401 (a fetch before signing in) is.
        unexpected = [e for e in errors if not ('api/login' in e['message'] and 'status of 401' in e['message'])
                      and not ('/metadata/' in e['message'] and 'status of 400' in e['message'])
                      and not ('/api/alerts/' in e['message'] and 'status of 400' in e['message'])]
        if unexpected:
            raise AssertionError('browser console errors: {0}'.format(unexpected))
        print('screenshots: {0}'.format(os.path.abspath(args.artifacts)))
        print('ok')
    finally:
        stop_all(started)
        shutil.rmtree(work, ignore_errors=True)


def run_api_only(driver, server, args):
    """Tokens but no dashboard password: sign in with a token; the dashboard shows, read-only."""
    driver.delete_all_cookies()
    driver.execute_script('sessionStorage.clear()')
    driver.get(server.url + '/#/settings/tokens')
    wait = WebDriverWait(driver, 30)
    wait.until(EC.visibility_of_element_located((By.ID, 'login-form')))
    form = driver.find_element(By.ID, 'login-form')
    form.find_element(By.TAG_NAME, 'summary').click()
    form.find_element(By.NAME, 'token').send_keys(server.token)
    form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
    wait.until(EC.invisibility_of_element_located((By.ID, 'login-form')))
    wait_for('read-only mode', lambda: driver.execute_script("return document.body.classList.contains('read-only')"))
    wait_for('the settings view', lambda: 'API tokens' in driver.find_element(By.ID, 'view').text)
    # Sorting a table changes nothing: its header buttons stay.
    visible = [b for b in driver.find_elements(By.CSS_SELECTOR, 'main button:not(.sort)') if b.is_displayed()]
    assert not visible, 'read-only dashboard shows {0} buttons'.format(len(visible))
    wait_for('polled state', lambda: driver.find_element(By.ID, 'live').text == 'live')
    shot(driver, args, 'api-only')


class IdentityProvider:
    """oidc-provider-mock on a free loopback port; any client ID and secret are accepted."""

    def __init__(self, binary):
        self.url = 'http://127.0.0.1:{0}'.format(free_port())
        self.process = subprocess.Popen([binary, '--host', '127.0.0.1', '--port', self.url.rsplit(':', 1)[1]],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for('the identity provider', lambda: urllib.request.urlopen(self.url + '/.well-known/openid-configuration', timeout=5).status == 200)

    def set_user(self, sub, claims):
        request = urllib.request.Request(self.url + '/users/' + sub, method='PUT', data=json.dumps(claims).encode(),
                                         headers={'Content-Type': 'application/json'})
        urllib.request.urlopen(request, timeout=10).close()


def run_single_sign_on(driver, args, work, started):
    """Only single sign-on (and tokens): the login page offers SSO alone, the provider's form signs
    the user in, and the dashboard is writable for them."""
    provider = IdentityProvider(args.oidc_provider)
    started.append(provider.process)
    provider.set_user('alice', {'preferred_username': 'alice', 'email': 'alice@example.com'})
    server = pulse_server(args.pulse, work, with_user=False, name='sso-server', environment=lambda url: {
        'OIDC_ENABLED': 'true', 'OIDC_ISSUER_URL': provider.url, 'OIDC_CLIENT_ID': 'pulse',
        'OIDC_CLIENT_SECRET': secrets.token_hex(16), 'OIDC_REDIRECT_URL': url + '/api/oidc/callback'})
    started.append(server.process)
    server.call('POST', '/api/system/settings/update', {'hideLocalLogin': True})

    driver.delete_all_cookies()
    driver.execute_script('sessionStorage.clear()')
    driver.get(server.url + '/')
    wait = WebDriverWait(driver, 30)
    sso = wait.until(EC.visibility_of_element_located((By.ID, 'sso-login')))
    assert not driver.find_element(By.ID, 'local-login').is_displayed(), 'hideLocalLogin: the password form is shown'
    assert driver.find_element(By.ID, 'show-local-login').is_displayed(), 'the password form is not one click away'
    shot(driver, args, 'sso-login')
    keep_console(driver)
    sso.click()
    subject = wait.until(EC.visibility_of_element_located((By.NAME, 'sub')))
    assert driver.current_url.startswith(provider.url + '/oauth2/authorize'), driver.current_url
    subject.send_keys('alice')
    subject.submit()
    wait.until(lambda d: d.current_url.startswith(server.url))
    driver.get_log('browser')  # the provider's page (it loads a stylesheet from a CDN this machine cannot reach)
    wait.until(EC.invisibility_of_element_located((By.ID, 'login-form')))
    wait_for('live updates', lambda: driver.find_element(By.ID, 'live').text == 'live')
    assert 'oidc=' not in driver.current_url, 'the sign-in result stays in the address'
    status = driver.execute_async_script(
        "fetch('/api/security/status').then(r => r.json()).then(arguments[arguments.length - 1])")
    assert status['oidcUsername'] == 'alice' and status['authRole'] == 'admin', status
    driver.get(server.url + '/#/settings/tokens')
    wait_for('the settings view', lambda: 'API tokens' in driver.find_element(By.ID, 'view').text)
    assert not driver.execute_script("return document.body.classList.contains('read-only')"), 'an SSO admin sees a read-only dashboard'
    shot(driver, args, 'sso-signed-in')
    driver.find_element(By.ID, 'logout').click()
    wait.until(EC.visibility_of_element_located((By.ID, 'sso-login')))


def edit_guest_metadata(driver, server, args):
    """Edits a guest's URL and notes from its row; its name becomes a link with the notes on hover."""
    url = 'https://console.example.com/vm/first'

    def open_editor():
        driver.find_elements(By.CSS_SELECTOR, '.virtual .row button.edit-metadata')[0].click()
        return driver.find_element(By.CSS_SELECTOR, 'dialog.metadata-editor[open]')
    dialog = wait_for('the metadata editor', open_editor)
    dialog.find_element(By.NAME, 'customUrl').send_keys('javascript:alert(1)')
    dialog.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
    wait_for('the refusal of a script URL', lambda: 'customUrl' in dialog.find_element(By.CSS_SELECTOR, '.error').text)
    field = dialog.find_element(By.NAME, 'customUrl')
    field.clear()
    field.send_keys(url)
    dialog.find_element(By.NAME, 'notes').send_keys('Runs the database')
    dialog.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
    wait_for('the stored metadata', lambda: any(m['customUrl'] == url for m in server.call('GET', '/api/guests/metadata').values()))
    link = wait_for('the guest name as a link', lambda: driver.find_element(By.CSS_SELECTOR, '.virtual .row a[href="{0}"]'.format(url)))
    assert 'Runs the database' in (link.get_attribute('title') or ''), 'the notes are not on the link'
    assert link.get_attribute('rel') == 'noopener noreferrer'
    shot(driver, args, 'metadata')


def set_preferences(driver, server, args):
    """The signed-in user's own preferences: dark theme and the alerts view to open with."""
    driver.find_element(By.ID, 'preferences-button').click()
    dialog = WebDriverWait(driver, 30).until(EC.visibility_of_element_located((By.ID, 'preferences')))
    Select(dialog.find_element(By.NAME, 'theme')).select_by_value('dark')
    Select(dialog.find_element(By.NAME, 'defaultView')).select_by_value('alerts')
    dialog.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
    wait_for('the dark theme', lambda: driver.execute_script('return document.documentElement.dataset.theme') == 'dark')
    stored = driver.execute_async_script("fetch('/api/settings').then(r => r.json()).then(arguments[arguments.length - 1])")
    assert stored['theme'] == 'dark' and stored['defaultView'] == 'alerts', stored
    driver.execute_script("localStorage.removeItem('pulse-theme')")
    driver.get(server.url + '/')
    wait_for('the chosen start view', lambda: driver.find_element(By.CSS_SELECTOR, '#nav a.active').get_attribute('href').endswith('#/alerts'))
    wait_for('the theme from the server', lambda: driver.execute_script('return document.documentElement.dataset.theme') == 'dark')
    shot(driver, args, 'preferences')


def see_stale_data(driver, peer, server, args):
    """A part of a poll failing (pve1's storage): the overview lists it as not current and the
    storage view marks the node's rows stale; once it is read again both marks go."""
    def command(text):
        peer.stdin.write(text + '\n')
        peer.stdin.flush()
        answer = peer.stdout.readline().strip()
        assert answer.startswith('ok'), 'pve peer: {0} -> {1}'.format(text, answer)
    command('fail GET /nodes/pve1/storage 500 broken')
    driver.get(server.url + '/#/overview')
    wait_for('the overview listing stale data', lambda: 'storage:pve1' in driver.find_element(By.ID, 'stale-data').text)
    shot(driver, args, 'stale-overview')
    driver.get(server.url + '/#/storage')
    wait_for('stale storage rows', lambda: any('stale' in mark.text for mark in driver.find_elements(By.CSS_SELECTOR, '.virtual .row .stale, .table .row .stale')))
    shot(driver, args, 'stale-storage')
    command('clear')
    wait_for('current storage again', lambda: not driver.find_elements(By.CSS_SELECTOR, '.stale'), timeout=60)


def read_and_annotate_the_timeline(driver, alert_id):
    """The alert's incident timeline: its events, and a note that stays text (no markup)."""
    def open_timeline():
        driver.find_element(By.CSS_SELECTOR, 'button[data-timeline="{0}"]'.format(alert_id)).click()
        return 'Incident:' in driver.find_element(By.CSS_SELECTOR, 'div.incident').text
    wait_for('the incident timeline', open_timeline)
    note = driver.find_element(By.CSS_SELECTOR, 'div.incident input[aria-label=Note]')
    note.send_keys('<b>checked the host</b>')
    note.submit()
    wait_for('the note as text', lambda: '<b>checked the host</b>' in driver.find_element(By.CSS_SELECTOR, 'div.incident').text)
    assert not driver.find_elements(By.CSS_SELECTOR, 'div.incident blockquote b'), 'the note was rendered as markup'


def refresh_the_cluster(driver):
    """Settings: the PVE instance's "Refresh cluster" reads the cluster's members."""
    def refresh():
        driver.find_element(By.CSS_SELECTOR, 'button[data-refresh-cluster]').click()
        return True
    wait_for('the refresh button', refresh)
    wait_for('the cluster read', lambda: 'Cluster fakecluster: 2 nodes' in driver.find_element(By.CSS_SELECTOR, 'main p[role=status]').text)


def check_live_feed_compression(driver):
    """Chromium offers permessage-deflate on /ws: the server takes it, and the state it sends
    compressed reads as the live feed's message."""
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
        socket.onmessage = (event) => {
            let type = null;
            try { type = JSON.parse(event.data).type; } catch (error) {}
            done({extensions: socket.extensions, type: type, size: event.data.length});
            socket.close();
        };
        socket.onerror = () => done({error: 'the WebSocket failed'});
    """)
    assert (result.get('extensions') or '').startswith('permessage-deflate'), 'no compression negotiated: {0}'.format(result)
    assert result.get('type') == 'rawData', 'the compressed message does not read as the feed: {0}'.format(result)
    print('live feed: {0}, first message {1} characters'.format(result['extensions'], result['size']))


def report_page_weight(driver):
    """Everything the first load fetched (a fresh browser: nothing cached), as sent: gzip bytes."""
    entries = driver.execute_script(
        "return [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]"
        ".filter(e => new URL(e.name).origin === location.origin && !new URL(e.name).pathname.startsWith('/api/'))"
        ".map(e => ({name: e.name, encoded: e.encodedBodySize, decoded: e.decodedBodySize}))")
    assets = [e for e in entries if '/assets/' in e['name']]
    assert assets, 'the performance timeline lists no asset'
    gzip_bytes = sum(e['encoded'] for e in entries)
    plain_bytes = sum(e['decoded'] for e in entries)
    print('page weight: {0:.1f} KB gzip ({1:.1f} KB uncompressed, {2} files)'.format(gzip_bytes / 1024, plain_bytes / 1024, len(entries)))
    assert gzip_bytes < 60 * 1024, 'the page weighs {0} bytes gzip, over 60 KB'.format(gzip_bytes)


def check_asset_caching(server):
    """The page names its assets under a content-hashed version; those are gzip and immutable."""
    request = urllib.request.Request(server.url + '/', headers={'Accept-Encoding': 'gzip'})
    with urllib.request.urlopen(request) as response:
        assert response.headers['Content-Encoding'] == 'gzip', dict(response.headers)
        assert response.headers['Cache-Control'] == 'no-cache'
        import gzip as gz
        page = gz.decompress(response.read()).decode()
    import re
    script = re.search(r'"(/assets/v/[0-9a-f]+/app\.js)"', page)
    assert script, 'index.html names no versioned app.js'
    request = urllib.request.Request(server.url + script.group(1), headers={'Accept-Encoding': 'gzip'})
    with urllib.request.urlopen(request) as response:
        assert response.headers['Content-Encoding'] == 'gzip'
        assert 'immutable' in response.headers['Cache-Control'] and 'max-age=31536000' in response.headers['Cache-Control']
        assert response.headers['ETag']


def first_render(driver, view):
    """Milliseconds from the start of navigation to the view's first paint with data (the app's mark)."""
    return wait_for('the first render mark of ' + view,
                    lambda: driver.execute_script("const m = performance.getEntriesByName(arguments[0]); return m.length ? m[0].startTime : null",
                                                  'pulse-render:' + view))


def open_host_page(driver, server, args, hostname):
    """The host's row opens its page: identity, a history chart with points, its parts; the
    address is its page's and survives a reload."""
    def open_row():
        link = [a for a in driver.find_elements(By.CSS_SELECTOR, '.table .row a.row-link') if a.text == hostname][0]
        link.click()
        return '#/host/' in driver.current_url
    wait_for('the host page from its row', open_row)
    wait_for('the host name as the title', lambda: hostname in driver.find_element(By.CSS_SELECTOR, 'main h1').text)
    for part in ('Filesystems', 'Network interfaces', 'Sensors', 'Active alerts', 'Metadata'):
        wait_for('the host page part ' + part, lambda: part in driver.find_element(By.ID, 'view').text)
    wait_for('a CPU history chart with points', lambda: int(driver.find_element(By.CSS_SELECTOR, 'svg.chart.history[data-metric="cpu"]').get_attribute('data-points')) >= 2,
             timeout=120)
    assert driver.find_element(By.CSS_SELECTOR, 'svg.chart.history[data-metric="cpu"] polyline').get_attribute('points')
    shot(driver, args, 'host-page')
    Select(driver.find_element(By.NAME, 'range')).select_by_value('7d')
    wait_for('the 7-day range', lambda: driver.find_element(By.CSS_SELECTOR, 'svg.chart.history[data-metric="cpu"]'))
    address = driver.current_url
    host_id = urllib.parse.unquote(address.split('#/host/')[1])
    driver.refresh()
    wait_for('the host page after a reload', lambda: hostname in driver.find_element(By.CSS_SELECTOR, 'main h1').text)
    assert driver.current_url == address
    print('first render of a host page: {0:.0f} ms'.format(first_render(driver, 'host')))
    # Phone width: the page reflows (tables scroll inside themselves), nothing widens the page.
    driver.set_window_size(390, 844)
    wait_for('no sideways scrolling at phone width', lambda: driver.execute_script('return document.documentElement.scrollWidth <= window.innerWidth + 1'))
    shot(driver, args, 'host-page-phone')
    driver.set_window_size(1280, 900)
    return host_id


def save_an_alert_override(driver, server, args, host_id):
    """The host's own thresholds through its page's form: a clear level above the trigger is
    refused beside the field; a sound pair is stored under the host's alert ID."""
    def fill(trigger, clear):
        form = driver.find_element(By.CSS_SELECTOR, 'form.override-form')
        for name, value in (('cpu.trigger', trigger), ('cpu.clear', clear)):
            field = form.find_element(By.NAME, name)
            driver.execute_script('arguments[0].scrollIntoView({block: "center"})', field)
            field.clear()
            field.send_keys(value)
        form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
        return form
    form = wait_for('the override form', lambda: fill('50', '60'))
    wait_for('the refusal beside the clear level', lambda: 'must not be above' in
             form.find_element(By.NAME, 'cpu.clear').find_element(By.XPATH, '..').find_element(By.CSS_SELECTOR, '.field-error').text)
    shot(driver, args, 'override-refused')
    fill('50', '45')
    key = 'host:' + host_id
    wait_for('the override on the server', lambda: server.call('GET', '/api/alerts/')['overrides'].get(key, {}).get('cpu') == {'trigger': 50, 'clear': 45})
    shot(driver, args, 'override-saved')
    driver.get(server.url + '/#/settings/alerts')
    wait_for('the override in the settings', lambda: key in driver.find_element(By.ID, 'view').text)


def open_other_pages(driver, server, args):
    """A node's page (its guests and storage) and a guest's, reached from the node's."""
    driver.get(server.url + '/#/proxmox')
    # By keyboard: the row's link takes the focus and Enter opens the page.
    wait_for('the node page from its row', lambda: [a for a in driver.find_elements(By.CSS_SELECTOR, '.table .row a.row-link') if a.text == 'pve1'][0].send_keys(Keys.ENTER) or True)
    wait_for('the node page', lambda: '#/node/' in driver.current_url and 'Guests' in driver.find_element(By.ID, 'view').text)
    wait_for('the node CPU chart', lambda: driver.find_elements(By.CSS_SELECTOR, 'svg.chart.history'), timeout=60)
    shot(driver, args, 'node-page')
    wait_for('a guest page from the node page', lambda: driver.find_elements(By.CSS_SELECTOR, '.parts .row a.row-link')[0].click() or True)
    wait_for('the guest page', lambda: ('#/vm/' in driver.current_url or '#/ct/' in driver.current_url) and 'Backups and snapshots' in driver.find_element(By.ID, 'view').text)
    shot(driver, args, 'guest-page')
    open_from_list(driver, server, args, 'storage', 'storage', 'Backups on this storage')


def open_from_list(driver, server, args, view, kind, part):
    """The first row of a list view opens the page of its kind, which shows `part`."""
    driver.get(server.url + '/#/' + view)
    wait_for('a {0} page from its row'.format(kind), lambda: driver.find_elements(By.CSS_SELECTOR, '.table .row a[href^="#/{0}/"]'.format(kind))[0].click() or True)
    wait_for('the {0} page'.format(kind), lambda: '#/{0}/'.format(kind) in driver.current_url and part in driver.find_element(By.ID, 'view').text)
    shot(driver, args, kind + '-page')


def sign_in(driver, server):
    driver.delete_all_cookies()
    driver.execute_script('sessionStorage.clear()')
    driver.get(server.url + '/')
    wait = WebDriverWait(driver, 30)
    form = wait.until(EC.visibility_of_element_located((By.ID, 'login-form')))
    form.find_element(By.NAME, 'username').send_keys('admin')
    form.find_element(By.NAME, 'password').send_keys(PASSWORD)
    form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
    wait.until(EC.invisibility_of_element_located((By.ID, 'login-form')))
    wait_for('live updates', lambda: driver.find_element(By.ID, 'live').text == 'live')


def run_first_run(driver, args, work, started, peer):
    """An empty server: the overview offers the two ways in. The Proxmox form tests the
    connection; the install command, run, brings a host that appears live with its page."""
    server = pulse_server(args.pulse, work, name='first-run-server')
    started.append(server.process)
    sign_in(driver, server)
    driver.get(server.url + '/#/overview')
    wait_for('the first-run panel', lambda: 'Nothing is monitored yet' in driver.find_element(By.ID, 'view').text)
    shot(driver, args, 'first-run')
    form = driver.find_element(By.CSS_SELECTOR, '.first-run form.proxmox-form')
    for name, value in (('host', peer['url']), ('tokenName', peer['tokenId']), ('tokenValue', peer['tokenSecret']), ('fingerprint', peer['fingerprint'])):
        form.find_element(By.NAME, name).send_keys(value)
    form.find_element(By.CSS_SELECTOR, 'button[data-test-connection]').click()
    wait_for('the connection test', lambda: 'Connected to' in form.find_element(By.CSS_SELECTOR, 'p[role=status]').text)
    driver.find_element(By.CSS_SELECTOR, 'button[data-install-command]').click()
    command = wait_for('the install command', lambda: driver.find_element(By.ID, 'install-command').text)
    import re
    token = re.search(r"printf '%s\\n' '([^']+)'", command)
    assert token, 'no token in the install command: {0!r}'.format(command)
    assert server.url in command
    token_file = os.path.join(work, 'first-run-agent-token')
    with open(token_file, 'w') as f:
        f.write(token.group(1))
    agent = subprocess.Popen([args.agent, '--url', server.url, '--token-file', token_file, '--interval', '5s', '--health-addr', 'off',
                              '--buffer-dir', os.path.join(work, 'first-run-buffer'), '--disable-auto-update', '--log-level', 'warning'],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.append(agent)
    arrived = wait_for('the new host announced', lambda: driver.find_element(By.CSS_SELECTOR, '[data-new-agent]'), timeout=60)
    shot(driver, args, 'first-run-agent')
    arrived.click()
    wait_for('the new host page', lambda: '#/host/' in driver.current_url and driver.find_elements(By.CSS_SELECTOR, 'dl.facts'))
    form_ok = driver.find_elements(By.CSS_SELECTOR, '.first-run')
    assert not form_ok or not form_ok[0].is_displayed()


def run_large_estate(driver, args, work, started):
    """Demo mode with 5,000 guests: the guest table renders, sorts by a column and searches."""
    server = pulse_server(args.pulse, work, name='large-estate-server')
    started.append(server.process)
    server.call('POST', '/api/system/mock-mode', {'enabled': True, 'config': {'nodeCount': 50, 'vmsPerNode': 60, 'lxcsPerNode': 40}})
    state = wait_for('5,000 demo guests', lambda: (lambda s: s if len(s['vms']) + len(s['containers']) == 5000 else None)(server.call('GET', '/api/state')))
    guests = state['vms'] + state['containers']
    sign_in(driver, server)
    driver.get(server.url + '/#/proxmox')
    driver.refresh()
    count = lambda: driver.find_element(By.CSS_SELECTOR, '.table-block[data-noun=guests] .count').text
    wait_for('5,000 guests in the table', lambda: count() == '5000 guests')
    print('first render of the 5,000-guest table: {0:.0f} ms'.format(first_render(driver, 'proxmox')))
    rows = lambda: driver.find_elements(By.CSS_SELECTOR, '.table-block[data-noun=guests] .row')
    assert len(rows()) < 200, 'the table is not virtualised: {0} rows in the page'.format(len(rows()))
    driver.execute_script("document.querySelector('.table-block[data-noun=guests]').scrollIntoView()")
    header = lambda: [b for b in driver.find_elements(By.CSS_SELECTOR, '.table-block[data-noun=guests] .head button.sort') if b.text == 'ID'][0]
    first_id = lambda: int(rows()[0].find_elements(By.CSS_SELECTOR, '[role=cell]')[1].text)
    header().click()
    wait_for('ascending IDs', lambda: first_id() == min(g['vmid'] for g in guests))
    header().click()
    wait_for('descending IDs', lambda: first_id() == max(g['vmid'] for g in guests))
    started_scroll = time.time()
    driver.execute_script("const t = document.querySelector('.table-block[data-noun=guests] .virtual'); t.scrollTop = t.scrollHeight / 2")
    wait_for('rows in the middle of the table', lambda: any(int(r.get_attribute('style').split('top:')[1].split('px')[0]) > 60000 for r in rows()))
    print('5,000-guest table: scrolled to the middle in {0:.0f} ms'.format((time.time() - started_scroll) * 1000))
    shot(driver, args, 'guests-5000')
    name = guests[1234]['name']
    search = driver.find_element(By.ID, 'search')
    search.send_keys(name)
    wait_for('the search result', lambda: count().endswith('of 5000 guests') and all(name.lower() in r.text.lower() for r in rows()) and rows())
    shot(driver, args, 'guests-search')
    search.send_keys(Keys.CONTROL, 'a')
    search.send_keys(Keys.BACKSPACE)
    wait_for('every guest again', lambda: count() == '5000 guests')
    stopped = sum(1 for g in guests if g['status'] == 'stopped')
    if stopped:
        Select(driver.find_element(By.CSS_SELECTOR, '.table-block[data-noun=guests] select.status-filter')).select_by_value('stopped')
        wait_for('the stopped guests', lambda: count() == '{0} of 5000 guests'.format(stopped))
        shot(driver, args, 'guests-stopped')
    open_from_list(driver, server, args, 'docker', 'docker-host', 'Containers')
    open_from_list(driver, server, args, 'docker', 'docker-container', 'Labels')
    open_from_list(driver, server, args, 'kubernetes', 'k8s', 'Pods')


def shot(driver, args, name):
    driver.save_screenshot(os.path.join(args.artifacts, 'dashboard-{0}.png'.format(name)))


def run(driver, server, args, hostname):
    wait = WebDriverWait(driver, 30)
    driver.get(server.url + '/')
    wait.until(EC.visibility_of_element_located((By.ID, 'login-form')))
    form = driver.find_element(By.ID, 'login-form')
    form.find_element(By.NAME, 'username').send_keys('admin')
    form.find_element(By.NAME, 'password').send_keys('wrong password!!')
    form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
    wait_for('a failed-login message', lambda: 'attempts left' in driver.find_element(By.ID, 'login-error').text)
    form.find_element(By.NAME, 'password').clear()
    form.find_element(By.NAME, 'password').send_keys(PASSWORD)
    form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
    wait.until(EC.invisibility_of_element_located((By.ID, 'login-form')))
    wait_for('live updates', lambda: driver.find_element(By.ID, 'live').text == 'live')
    check_live_feed_compression(driver)
    report_page_weight(driver)

    wait_for('nodes on the overview', lambda: driver.find_elements(By.CSS_SELECTOR, '.card .value')[0].text not in ('–', '0'))
    shot(driver, args, 'overview')

    started = time.time()
    driver.get(server.url + '/#/proxmox')
    wait_for('guest rows', lambda: len(driver.find_elements(By.CSS_SELECTOR, '.table-block[data-noun=guests] .row')) > 0)
    print('first render of the guest table: {0:.0f} ms'.format((time.time() - started) * 1000))
    # Live updates re-render views once a second, so every look at the page is retried until it
    # finds what it wants on elements that are still attached.
    wait_for('both nodes in the Proxmox view', lambda: all(n in driver.find_element(By.ID, 'view').text for n in ('pve1', 'pve2')))
    shot(driver, args, 'proxmox')
    edit_guest_metadata(driver, server, args)

    driver.get(server.url + '/#/hosts')
    wait_for('this machine among the hosts', lambda: hostname in driver.find_element(By.ID, 'view').text, timeout=60)
    shot(driver, args, 'hosts')
    host_id = open_host_page(driver, server, args, hostname)
    open_other_pages(driver, server, args)

    driver.get(server.url + '/#/alerts')

    def acknowledge():
        button = driver.find_element(By.CSS_SELECTOR, 'button[data-ack]')
        alert_id = button.get_attribute('data-ack')
        button.click()
        return alert_id
    alert_id = wait_for('an alert to acknowledge', acknowledge, timeout=60)
    wait_for('the acknowledgement on the server',
             lambda: any(a['id'] == alert_id and a['acknowledged'] for a in server.call('GET', '/api/alerts/active')))
    read_and_annotate_the_timeline(driver, alert_id)
    shot(driver, args, 'alerts')
    # The alert's resource links to its page. After the acknowledgement: the override lifts the host's CPU alert.
    wait_for('the host page from its alert', lambda: driver.find_element(
        By.CSS_SELECTOR, 'main .table .row a[href="#/host/{0}"]'.format(urllib.parse.quote(host_id, safe=''))).click() or '#/host/' in driver.current_url)
    save_an_alert_override(driver, server, args, host_id)

    driver.get(server.url + '/#/settings/proxmox')
    refresh_the_cluster(driver)
    shot(driver, args, 'settings-proxmox')

    driver.get(server.url + '/#/settings/tokens')

    def submit_token_form():
        form = driver.find_element(By.CSS_SELECTOR, 'form.token-form')
        for name, text in (('name', 'from the browser'), ('scopes', 'monitoring:read')):
            field = form.find_element(By.NAME, name)
            field.clear()
            field.send_keys(text)
        form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
        return True
    wait_for('the token form', submit_token_form)
    token = wait_for('the new token', lambda: driver.find_element(By.ID, 'new-token').text)
    assert len(token) == 64, 'the new token is not 64 hex characters: {0!r}'.format(token)
    assert any(t['name'] == 'from the browser' for t in server.call('GET', '/api/security/tokens')['tokens'])
    shot(driver, args, 'settings-tokens')
    for part, text in (('agents', 'Reporting agents'), ('notifications', 'Webhooks'), ('alerts', 'Quiet hours'), ('security', 'Audit log')):
        driver.get(server.url + '/#/settings/' + part)
        wait_for('the {0} settings'.format(part), lambda: text in driver.find_element(By.ID, 'view').text)
        shot(driver, args, 'settings-' + part)
    driver.get(server.url + '/#/settings/system')

    def save_poll_interval():
        form = driver.find_element(By.ID, 'system-settings')
        # --pve-polling-interval fixes the PVE interval: shown, but locked.
        assert not form.find_element(By.NAME, 'pvePollingInterval').is_enabled(), 'a flag-fixed setting is editable'
        field = form.find_element(By.NAME, 'pbsPollingInterval')
        driver.execute_script('arguments[0].scrollIntoView()', field)
        field.clear()
        field.send_keys('45')
        form.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
        return True
    wait_for('the system settings form', save_poll_interval)
    wait_for('the new poll interval on the server', lambda: server.call('GET', '/api/system/settings')['pbsPollingInterval'] == 45)

    # This server has no release feed: the update check says so where the release would be.
    def check_for_updates():
        driver.find_element(By.XPATH, "//button[text()='Check for updates']").click()
        return 'PULSE_UPDATE_SERVER' in driver.find_element(By.ID, 'update-check').text
    wait_for('the update check in the settings', check_for_updates)
    shot(driver, args, 'settings-system')

    set_preferences(driver, server, args)

    try:
        server.call('GET', '/api/charts?range=5m')
        has_charts = True
    except urllib.error.HTTPError as error:
        has_charts = error.code != 404
    if has_charts:
        driver.get(server.url + '/#/charts')
        wait_for('a chart line', lambda: driver.find_elements(By.CSS_SELECTOR, 'svg.chart polyline'), timeout=90)
        # The store that answered is named under the charts (this server has no engine: local).
        wait_for('the chart source', lambda: [e for e in driver.find_elements(By.CSS_SELECTOR, 'p[data-chart-source="local"]')
                                              if 'local history store' in e.text], timeout=30)
        shot(driver, args, 'charts')
    else:
        print('no history store on this server: chart step skipped')

    check_asset_caching(server)


if __name__ == '__main__':
    try:
        main()
    except Exception as error:
        print('FAILED: {0}'.format(error))
        sys.exit(1)
