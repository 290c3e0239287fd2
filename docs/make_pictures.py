"""Regenerate the pictures in docs/: TensorBoard screenshots and the GAN's graph as SVG.

    python examples/gan.py --steps 4000 --outdir runs/screenshot/gan
    python examples/rnn.py --steps 1500 --out runs/screenshot/rnn --no-progress
    python docs/make_pictures.py --logdir runs/screenshot

Starts TensorBoard on `--logdir`, drives Debian's headless Chromium
(`apt-get install chromium`) over the DevTools protocol (a websocket client from
tornado, which Jupyter already installs), and writes

* docs/tensorboard_graph.png: the Graphs tab for the run `gan/tb`, with the
  `discriminator` and `discriminator_1` boxes expanded (double-clicked) and the
  view fitted;
* docs/tensorboard_scalars.png: the Scalars tab filtered to tags matching `loss`;
* docs/gan_graph.svg: `minitf.viz.to_dot` of the GAN's `apply`, rendered by
  Graphviz `dot` (`apt-get install graphviz`); skipped when `dot` is missing.

TensorBoard and Chromium are stopped afterwards.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from tornado.websocket import websocket_connect

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# querySelectorAll through shadow roots (TensorBoard is Polymer/Angular).
DEEP = """
function deepAll(sel, root = document) {
  const out = [...root.querySelectorAll(sel)];
  for (const el of root.querySelectorAll('*'))
    if (el.shadowRoot) out.push(...deepAll(sel, el.shadowRoot));
  return out;
}
"""
NODE_CENTER = DEEP + """
(name => {
  const g = deepAll('g.node').find(g => g.getAttribute('data-name') === name);
  if (!g) return null;
  const r = (g.querySelector('rect, ellipse') || g).getBoundingClientRect();
  return [r.x + r.width / 2, r.y + Math.min(r.height / 2, 12)];
})"""
CLEAR_SELECTION = DEEP + """(() => {
  document.getSelection().removeAllRanges();
  for (const el of deepAll('*'))
    if (el.shadowRoot && el.shadowRoot.getSelection) el.shadowRoot.getSelection().removeAllRanges();
  return true;
})()"""


class Page:
    """The few DevTools-protocol calls we need, on one page's websocket."""

    def __init__(self, ws) -> None:
        self.ws, self.counter = ws, 0

    async def call(self, method: str, **params):
        self.counter += 1
        my_id = self.counter
        await self.ws.write_message(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = await self.ws.read_message()
            if message is None:
                raise RuntimeError("Chromium closed the DevTools connection")
            reply = json.loads(message)
            if reply.get("id") == my_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    async def js(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression,
                                 returnByValue=True, awaitPromise=True)
        return result["result"].get("value")

    async def double_click(self, x: float, y: float) -> None:
        await self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for count in (1, 2):
            for kind in ("mousePressed", "mouseReleased"):
                await self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y,
                                button="left", clickCount=count)

    async def screenshot(self, path: pathlib.Path) -> None:
        result = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(result["data"]))
        print("wrote", path.relative_to(ROOT))


async def browser_page(width: int, height: int, port: int = 9222):
    """Start headless Chromium; return (process, Page) with the viewport set."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium not found: apt-get install -y chromium")
    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
         f"--window-size={width},{height}", f"--remote-debugging-port={port}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
            pages = [t for t in tabs if t["type"] == "page"]
            if pages:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.terminate()
            sys.exit("chromium did not open its DevTools port")
        await asyncio.sleep(0.2)
    ws = await websocket_connect(pages[0]["webSocketDebuggerUrl"], max_message_size=256 << 20)
    page = Page(ws)
    await page.call("Page.enable")
    await page.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                    deviceScaleFactor=1, mobile=False)
    return proc, page


async def graph_screenshot(url: str, run: str, expand: list[str], out: pathlib.Path) -> None:
    proc, page = await browser_page(1400, 900)
    try:
        await page.call("Page.navigate", url=f"{url}/#graphs&run={run.replace('/', '%2F')}")
        await asyncio.sleep(8)  # load the graph and lay it out
        for name in expand:
            center = await page.js(f"{NODE_CENTER}({json.dumps(name)})")
            if center is None:
                raise RuntimeError(f"no node {name!r} in the Graphs tab")
            await page.double_click(*center)
            await asyncio.sleep(2.5)
        await page.js(DEEP + "deepAll('tf-graph-scene')[0].fit()")
        await asyncio.sleep(2)
        await page.js(CLEAR_SELECTION)
        await asyncio.sleep(0.5)
        await page.screenshot(out)
    finally:
        proc.terminate()


async def scalars_screenshot(url: str, tag_filter: str, out: pathlib.Path) -> None:
    proc, page = await browser_page(1400, 1000)
    try:
        await page.call("Page.navigate", url=f"{url}/#scalars&tagFilter={tag_filter}")
        await asyncio.sleep(10)
        await page.screenshot(out)
    finally:
        proc.terminate()


def gan_graph_svg(out: pathlib.Path) -> None:
    if shutil.which("dot") is None:
        print("graphviz `dot` not found: skipping", out.name)
        return
    import jax
    import jax.numpy as jnp

    from minitf.viz import graph_def_from_function, to_dot

    sys.path.insert(0, str(ROOT / "examples"))
    import gan

    model = gan.build_model()
    z, real = jnp.zeros((64, gan.Z_DIM)), jnp.zeros((64, gan.IMAGE))
    params = model.init(jax.random.PRNGKey(0), z, real)
    graph = graph_def_from_function(lambda p, z_, r: model.apply(p, z_, r), params, z, real)
    subprocess.run(["dot", "-Tsvg", "-o", str(out)], input=to_dot(graph), text=True, check=True)
    print("wrote", out.relative_to(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logdir", default="runs/screenshot")
    parser.add_argument("--port", type=int, default=6006)
    parser.add_argument("--run", default="gan/tb", help="the run whose graph to show")
    args = parser.parse_args()

    gan_graph_svg(DOCS / "gan_graph.svg")
    tensorboard = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", args.logdir,
         "--port", str(args.port), "--bind_all"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://localhost:{args.port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                runs = json.load(urllib.request.urlopen(f"{url}/data/runs"))
                if args.run in runs:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"TensorBoard did not show run {args.run!r} under {args.logdir}")
            time.sleep(1)
        asyncio.run(graph_screenshot(url, args.run, ["discriminator", "discriminator_1"],
                                     DOCS / "tensorboard_graph.png"))
        asyncio.run(scalars_screenshot(url, "loss", DOCS / "tensorboard_scalars.png"))
    finally:
        tensorboard.terminate()
        tensorboard.wait(timeout=30)


if __name__ == "__main__":
    main()
