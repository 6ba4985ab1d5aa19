#!/usr/bin/python3
"""promcheck.py - a strict reader of the Prometheus text exposition format (0.0.4), with
the rules node_exporter's textfile collector adds; promtool's parser lets some of them
through (a family split across the text, duplicate series).

usage: promcheck.py [--dump] [FILE]      (standard input without FILE)
  exit 0 and "ok: N families, M samples" when FILE is valid; exit 1 and one line per
  problem ("line N: what") otherwise. --dump prints the parsed samples as JSON lines:
  {"name": ..., "labels": {...}, "value": "..."}.

Checked: the whole text is UTF-8 and ends in a newline; HELP and TYPE at most once per
family and before its samples; HELP escapes only \\\\ and \\n, label values only \\\\ \\" \\n;
metric and label names are valid, no label name twice in a sample, no reserved __ names;
values parse as Go's ParseFloat does (NaN, +Inf, -Inf); no timestamps (the textfile
collector refuses them); all samples of a family stand together; no two samples are the
same series; every sample of a family has the same label names.
"""
import json
import re
import sys

METRIC = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
FLOAT = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[Ii]nf(?:inity)?|NaN)")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("_sum", "_count")}


class Bad(Exception):
    pass


def unescape(s, quotes):
    """the text of an escaped HELP (quotes False) or label value (True)"""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 >= len(s):
                raise Bad("a lone backslash at the end")
            n = s[i + 1]
            if n == "\\":
                out.append("\\")
            elif n == "n":
                out.append("\n")
            elif n == '"' and quotes:
                out.append('"')
            else:
                raise Bad("invalid escape sequence \\" + n)
            i += 2
            continue
        if c == "\n" or (c == '"' and quotes):
            raise Bad("unescaped %r" % c)
        out.append(c)
        i += 1
    return "".join(out)


def parse_labels(s, i):
    """labels from s[i] == '{': (dict, index after '}')"""
    labels = {}
    i += 1
    while True:
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] == "}":
            return labels, i + 1
        m = LABEL.match(s, i)
        if not m:
            raise Bad("bad label name at column %d" % (i + 1))
        name = m.group(0)
        if name.startswith("__"):
            raise Bad("reserved label name " + name)
        if name in labels:
            raise Bad("label %s twice" % name)
        i = m.end()
        while i < len(s) and s[i] in " \t":
            i += 1
        if s[i:i + 2] != '="':
            raise Bad("expected =\" after label %s" % name)
        i += 2
        j = i
        while j < len(s) and s[j] != '"':
            j += 2 if s[j] == "\\" else 1
        if j >= len(s):
            raise Bad("unterminated value of label " + name)
        labels[name] = unescape(s[i:j], True)
        i = j + 1
        while i < len(s) and s[i] in " \t":
            i += 1
        if i < len(s) and s[i] == ",":
            i += 1
        elif i < len(s) and s[i] == "}":
            return labels, i + 1
        else:
            raise Bad("expected , or } at column %d" % (i + 1))


def check(data):
    """(problems, families, samples) of the exposition in bytes data"""
    problems, samples = [], []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["byte %d: not UTF-8 (%s)" % (e.start, e.reason)], {}, []
    if text and not text.endswith("\n"):
        problems.append("the last line does not end in a newline")
    fam = {}        # name -> {"help": bool, "type": str, "closed": bool, "labels": set}
    series = set()
    current = None

    def family(name, lineno):
        nonlocal current
        f = fam.setdefault(name, {"help": False, "type": None, "closed": False,
                                  "labels": None, "samples": 0})
        if current != name:
            if current is not None:
                fam[current]["closed"] = True
            if f["closed"]:
                raise Bad("family %s is split: it stood earlier in the text" % name)
            current = name
        return f

    def family_of(name):
        for base, f in fam.items():
            for suf in SUFFIXES.get(f["type"] or "", ()):
                if name == base + suf:
                    return base
        return name

    for lineno, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
        try:
            if line.strip() == "":
                continue
            if line.startswith("#"):
                parts = line[1:].lstrip(" \t").split(None, 2)
                if not parts or parts[0] not in ("HELP", "TYPE"):
                    continue  # a comment
                if len(parts) < 2 or not METRIC.fullmatch(parts[1]):
                    raise Bad("%s without a valid metric name" % parts[0])
                f = family(parts[1], lineno)
                if f["samples"]:
                    raise Bad("%s of %s after its samples" % (parts[0], parts[1]))
                if parts[0] == "HELP":
                    if f["help"]:
                        raise Bad("second HELP for " + parts[1])
                    f["help"] = True
                    m = re.match(r"#[ \t]*HELP[ \t]+\S+(?:[ \t](.*))?$", line)
                    unescape(m.group(1) or "", False)
                else:
                    if f["type"]:
                        raise Bad("second TYPE for " + parts[1])
                    if len(parts) != 3 or parts[2].strip() not in TYPES:
                        raise Bad("bad TYPE line")
                    f["type"] = parts[2].strip()
                continue
            m = METRIC.match(line)
            if not m:
                raise Bad("bad metric name")
            name, i = m.group(0), m.end()
            labels = {}
            if i < len(line) and line[i] == "{":
                labels, i = parse_labels(line, i)
            rest = line[i:]
            if not rest or rest[0] not in " \t":
                raise Bad("expected a space before the value")
            toks = rest.split()
            if len(toks) == 2:
                raise Bad("a timestamp (the textfile collector refuses them)")
            if len(toks) != 1 or not FLOAT.fullmatch(toks[0]):
                raise Bad("bad value %r" % rest.strip())
            base = family_of(name)
            f = family(base, lineno)
            names = frozenset(labels)
            if f["labels"] is None:
                f["labels"] = names
            elif f["labels"] != names:
                raise Bad("label names %s differ from the family's %s" %
                          (sorted(names), sorted(f["labels"])))
            key = (name, frozenset(labels.items()))
            if key in series:
                raise Bad("duplicate series %s%s" % (name, labels))
            series.add(key)
            f["samples"] += 1
            samples.append({"name": name, "labels": labels, "value": toks[0]})
        except Bad as e:
            problems.append("line %d: %s" % (lineno, e))
    return problems, fam, samples


def main():
    args = sys.argv[1:]
    dump = "--dump" in args
    files = [a for a in args if a != "--dump"]
    if len(files) > 1:
        sys.exit("usage: promcheck.py [--dump] [FILE]")
    if files:
        with open(files[0], "rb") as f:
            data = f.read()
    else:
        data = sys.stdin.buffer.read()
    problems, fam, samples = check(data)
    if problems:
        for p in problems:
            print(p)
        sys.exit(1)
    if dump:
        for s in samples:
            print(json.dumps(s, sort_keys=True))
        return
    print("ok: %d families, %d samples" % (len(fam), len(samples)))


if __name__ == "__main__":
    main()
