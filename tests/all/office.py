#!/usr/bin/python3
"""Opens document skeletons in LibreOffice (headless, through UNO) and reports what a writer
would see, as JSON on stdout, for tests/all/skeletons.rs.

    office.py report FILE...     per file: headings with the numbers LibreOffice shows, the
                                 contents before and after LibreOffice updates them, tables,
                                 footer fields, fonts; and a PDF export after the update
    office.py insert FILE AFTER TEXT
                                 adds a heading TEXT at the level of the heading whose text is
                                 AFTER, right after that heading's section, updates the
                                 contents, and reports the headings as LibreOffice numbers
                                 them then, and the contents

Needs Debian's python3-uno (run with /usr/bin/python3) and soffice. Starts its own soffice
with a profile of its own on a pipe, so tests running at the same time do not share one.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


class Office:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="metodbok-office-")
        self.pipe = "metodbok" + str(os.getpid())
        self.proc = subprocess.Popen(
            [
                "soffice",
                "-env:UserInstallation=file://" + os.path.join(self.dir, "profile"),
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.time() + 60
        while True:
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe)
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise SystemExit("soffice did not start")
                time.sleep(0.25)
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def open(self, path):
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        return self.desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))

    def close(self):
        try:
            self.desktop.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def paragraphs(doc):
    """The body's paragraphs (tables and other content skipped), in order."""
    out = []
    e = doc.getText().createEnumeration()
    while e.hasMoreElements():
        p = e.nextElement()
        if p.supportsService("com.sun.star.text.Paragraph"):
            out.append(p)
    return out


def headings(doc):
    """(number LibreOffice shows, text, outline level, style) of every heading."""
    out = []
    for p in paragraphs(doc):
        level = p.OutlineLevel
        if level > 0 and not p.ParaStyleName.startswith("Contents"):
            out.append([p.ListLabelString, p.getString(), level, p.ParaStyleName])
    return out


def contents(doc):
    """The lines of the document's first table of contents: (entry text, page)."""
    indexes = doc.getDocumentIndexes()
    if indexes.getCount() == 0:
        return None
    index = indexes.getByIndex(0)
    text = index.getAnchor().getString()
    lines = []
    for line in text.splitlines():
        if "\t" in line:
            entry, page = line.rsplit("\t", 1)
            lines.append([entry.replace("\t", " "), page])
    return {"service": index.getImplementationName(), "title": index.Title, "lines": lines}


def tables(doc):
    out = {}
    all_tables = doc.getTextTables()
    for i in range(all_tables.getCount()):
        t = all_tables.getByIndex(i)
        rows = []
        for r in range(t.getRows().getCount()):
            row = []
            for c in range(t.getColumns().getCount()):
                cell = t.getCellByPosition(c, r)
                row.append(cell.getString())
            rows.append(row)
        out[t.getName()] = rows
    return out


def footer_fields(doc):
    """The text fields in the first page style's footer, by service, and its text."""
    styles = doc.getStyleFamilies().getByName("PageStyles")
    found = {}
    for name in styles.getElementNames():
        style = styles.getByName(name)
        if not style.FooterIsOn:
            continue
        text = style.FooterText
        e = text.createEnumeration()
        fields = []
        while e.hasMoreElements():
            par = e.nextElement()
            portions = par.createEnumeration()
            while portions.hasMoreElements():
                portion = portions.nextElement()
                if portion.TextPortionType == "TextField":
                    f = portion.TextField
                    fields.append([s for s in f.getSupportedServiceNames() if s.startswith("com.sun.star.text.textfield.")])
        found[name] = {"text": text.getString(), "fields": fields}
    return found


def header_text(doc):
    styles = doc.getStyleFamilies().getByName("PageStyles")
    return {n: styles.getByName(n).HeaderText.getString() for n in styles.getElementNames() if styles.getByName(n).HeaderIsOn}


def fonts(doc):
    """The font family of the body text and of each heading, as the styles give it."""
    para = doc.getStyleFamilies().getByName("ParagraphStyles")
    out = {}
    for p in paragraphs(doc):
        name = p.ParaStyleName
        if name not in out:
            out[name] = p.CharFontName
    return out


def export_pdf(doc, path):
    doc.storeToURL(uno.systemPathToFileUrl(path), (prop("FilterName", "writer_pdf_Export"),))


def report(office, files, pdf_dir):
    out = {}
    for f in files:
        doc = office.open(f)
        entry = {
            "headings": headings(doc),
            "contents_delivered": contents(doc),
            "tables": tables(doc),
            "footer": footer_fields(doc),
            "header": header_text(doc),
            "fonts": fonts(doc),
            "description": doc.getDocumentProperties().Description,
        }
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.refresh()
        entry["contents_updated"] = contents(doc)
        entry["pages"] = doc.getCurrentController().PageCount
        pdf = os.path.join(pdf_dir, os.path.basename(f) + ".pdf")
        export_pdf(doc, pdf)
        entry["pdf"] = pdf
        doc.close(True)
        out[f] = entry
    return out


def insert(office, f, after, text):
    doc = office.open(f)
    pars = paragraphs(doc)
    at = next(i for i, p in enumerate(pars) if p.OutlineLevel > 0 and p.getString() == after)
    level = pars[at].OutlineLevel
    style = pars[at].ParaStyleName
    # The end of the section: the paragraph before the next heading at this level or above.
    end = at + 1
    while end < len(pars) and not (0 < pars[end].OutlineLevel <= level):
        end += 1
    last = pars[end - 1]
    body = doc.getText()
    cursor = body.createTextCursorByRange(last.getEnd())
    body.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    cursor.ParaStyleName = style
    body.insertString(cursor, text, False)
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        indexes.getByIndex(i).update()
    result = {"headings": headings(doc), "contents_updated": contents(doc)}
    doc.close(True)
    return result


def main():
    office = Office()
    try:
        if sys.argv[1] == "report":
            pdf_dir = tempfile.mkdtemp(prefix="metodbok-pdf-")
            print(json.dumps(report(office, sys.argv[2:], pdf_dir), ensure_ascii=False))
        elif sys.argv[1] == "insert":
            print(json.dumps(insert(office, sys.argv[2], sys.argv[3], sys.argv[4]), ensure_ascii=False))
        else:
            raise SystemExit("usage: office.py report FILE... | insert FILE AFTER TEXT")
    finally:
        office.close()


if __name__ == "__main__":
    main()
