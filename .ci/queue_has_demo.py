"""Log in as the demo editor over HTTP and check the queue shows the demo's quotes."""

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

login_page = opener.open(f"{base}/accounts/login/").read().decode()
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
form = urllib.parse.urlencode({"username": "editor", "password": "editor-demo-pass",
                               "csrfmiddlewaretoken": token, "next": "/queue/"}).encode()
request = urllib.request.Request(f"{base}/accounts/login/", data=form,
                                 headers={"Referer": f"{base}/accounts/login/"})
queue = opener.open(request).read().decode()
assert "Review queue" in queue, "login did not land on the queue"
assert "Miroslav Tarnek" in queue, "the demo speaker is not in the queue"
assert "nobody left who wants to fight" in queue, "a demo quote is not in the queue"
print("queue shows the demo articles' quotes")
