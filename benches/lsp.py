#!/usr/bin/env python3
"""Response times of `acre lsp` on a 1,000-line case (issue 16's target: 50 ms).

Starts the release binary, opens a generated case of about 1,000 lines, and times each
request over several rounds (the median and the slowest), then the time from a change to
its published diagnostics (which includes the 150 ms pause the server waits for).
Run from the project root after `cargo build --release`:  python3 benches/lsp.py
"""
import json, os, statistics, subprocess, sys, time

ACRE = os.environ.get("ACRE", "target/release/acre")
ROUNDS = 20
TERMS = ["remote chance", "highly unlikely", "unlikely", "realistic possibility",
         "likely", "highly likely", "almost certain"]


def case(n_items):
    lines = ['case "bench" {', '  question "Who?"', "}", ""]
    lines += [f'hypothesis h{h} "H{h}" prior 20%' for h in range(4)]
    lines += ['hypothesis other "Someone else" prior rest catch-all', ""]
    lines += [f'source s{s} "S{s}" reliability {"ABC"[s % 3]}' for s in range(10)]
    lines += ['assumption flag "False flag" prior unlikely', ""]
    state = 7
    for i in range(n_items):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        r = state >> 33
        lines += [f'evidence e{i} "Item {i}" {{', f"  from s{r % 10} credibility {r % 6 + 1}"]
        lines += [f"  given h{h}: {TERMS[(r >> (3 * h)) % 7]}" for h in range(3)]
        if r % 5 == 0:
            lines.append(f"  given h0 if flag: {TERMS[(r >> 12) % 7]}")
        lines += [f"  otherwise: {TERMS[(r >> 15) % 7]}", "}", ""]
    return "\n".join(lines) + "\n"


class Server:
    def __init__(self):
        self.p = subprocess.Popen([ACRE, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.id = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = 0
        while True:
            line = self.p.stdout.readline().strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split()[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.id += 1
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.id:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self):
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics":
                return m


def position(text, needle, plus=0):
    at = text.index(needle) + plus
    return {"line": text[:at].count("\n"), "character": at - (text.rfind("\n", 0, at) + 1)}


def main():
    text = case(140)
    uri = "file:///tmp/acre-bench/case.acre"
    s = Server()
    s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    s.notify("initialized", {})
    t0 = time.perf_counter()
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "acre", "version": 1, "text": text}})
    s.wait_diagnostics()
    opened = time.perf_counter() - t0
    doc = {"textDocument": {"uri": uri}}
    at = lambda needle, plus=0: {**doc, "position": position(text, needle, plus)}
    requests = {
        "hover on a term": ("textDocument/hover", at("otherwise: ", 12)),
        "hover on a hypothesis": ("textDocument/hover", at("given h0", 7)),
        "hover on an item": ("textDocument/hover", at("evidence e70", 10)),
        "completion after `from`": ("textDocument/completion", at("from s", 5)),
        "completion after `:`": ("textDocument/completion", at("otherwise: ", 11)),
        "definition": ("textDocument/definition", at("from s", 6)),
        "references": ("textDocument/references", {**at("source s1", 8), "context": {"includeDeclaration": True}}),
        "rename": ("textDocument/rename", {**at("source s1", 8), "newName": "renamed"}),
        "document symbols": ("textDocument/documentSymbol", doc),
        "formatting": ("textDocument/formatting", {**doc, "options": {"tabSize": 2, "insertSpaces": True}}),
        "inlay hints": ("textDocument/inlayHint", {**doc, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2000, "character": 0}}}),
        "semantic tokens": ("textDocument/semanticTokens/full", doc),
    }
    print(f"acre lsp on a {text.count(chr(10))}-line case ({ROUNDS} rounds; median / slowest), {os.cpu_count()} cores")
    print(f"  {'open to diagnostics (includes the 150 ms pause)':<50} {opened * 1000:8.1f} ms")
    for name, (method, params) in requests.items():
        times = []
        for _ in range(ROUNDS):
            t = time.perf_counter()
            r = s.request(method, params)
            times.append(time.perf_counter() - t)
            assert "error" not in r, r
        print(f"  {name:<50} {statistics.median(times) * 1000:8.2f} / {max(times) * 1000:.2f} ms")
    # a change: the first request after it analyses the new text
    times = []
    for v in range(ROUNDS):
        changed = text.replace("question \"Who?\"", f"question \"Who? {v}\"")
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v + 2}, "contentChanges": [{"text": changed}]})
        t = time.perf_counter()
        s.request("textDocument/hover", at("given h0", 7))
        times.append(time.perf_counter() - t)
    print(f"  {'change, then hover (analysis of the new text)':<50} {statistics.median(times) * 1000:8.2f} / {max(times) * 1000:.2f} ms")
    s.request("shutdown", None)
    s.notify("exit", None)
    s.p.wait()


if __name__ == "__main__":
    sys.exit(main())
