/* 公开通 front-end behaviour: a small rich-text editor over a <textarea>, the
   non-public fields shown only when needed, file sizes checked before sending,
   the side menu on phones, the layout preview fitted to its column, and focus
   after HTMX swaps.  No inline scripts: the page's Content-Security-Policy forbids them. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // ------------------------------------------------------------------ clean markup
  // What the editor may hold: the allow-list of webapp/richtext.py.  Markup from the
  // textarea or the clipboard is parsed into an inert document (DOMParser: no script runs,
  // nothing loads, no <meta> acts) and only these elements, rebuilt one by one in the page,
  // ever become live DOM.  The server cleans again on saving.
  var ALLOWED = {P: 1, BR: 1, STRONG: 1, B: 1, EM: 1, I: 1, U: 1, OL: 1, UL: 1, LI: 1,
    TABLE: 1, THEAD: 1, TBODY: 1, TR: 1, TH: 1, TD: 1, H2: 1, H3: 1};
  // Dropped together with their content (text inside <style> or <script> is not body text).
  var DROPPED = {SCRIPT: 1, STYLE: 1, TEMPLATE: 1, NOSCRIPT: 1, IFRAME: 1, FRAME: 1, FRAMESET: 1,
    OBJECT: 1, EMBED: 1, APPLET: 1, META: 1, LINK: 1, BASE: 1, TITLE: 1, HEAD: 1, SVG: 1, MATH: 1,
    TEXTAREA: 1, SELECT: 1, OPTION: 1, BUTTON: 1, INPUT: 1, IMG: 1, PICTURE: 1, VIDEO: 1, AUDIO: 1,
    CANVAS: 1, XML: 1};
  var SPAN = /^[1-9][0-9]{0,2}$/;

  function cleanInto(target, source) {
    for (var n = source.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) { target.appendChild(document.createTextNode(n.nodeValue)); continue; }
      if (n.nodeType !== 1) { continue; }  // comments, processing instructions
      var name = n.nodeName.toUpperCase();
      if (DROPPED[name]) { continue; }
      if (name === "DIV") { name = "P"; }  // blocks typed or pasted as <div> stay paragraphs
      if (!ALLOWED[name]) { cleanInto(target, n); continue; }  // <span>, <font>, <a>…: keep the text only
      var el = document.createElement(name.toLowerCase());
      if (name === "TD" || name === "TH") {
        ["colspan", "rowspan"].forEach(function (attr) {
          var v = n.getAttribute(attr);
          if (v && SPAN.test(v)) { el.setAttribute(attr, v); }
        });
      }
      cleanInto(el, n);
      target.appendChild(el);
    }
  }

  function cleanFragment(html) {
    var inert = new DOMParser().parseFromString(html || "", "text/html");
    var fragment = document.createDocumentFragment();
    cleanInto(fragment, inert.body);
    return fragment;
  }

  function emptyParagraph() {
    var p = document.createElement("p");
    p.appendChild(document.createElement("br"));
    return p;
  }

  var IMAGE_NOTE = "图片不能粘贴到正文中，已略去。请把图片作为附件上传（页面下方“附件文件”）。";
  var FILE_NOTE = "文件和图片不能拖入正文。请在页面下方“附件文件”中上传。";
  var CELL_NOTE = "请先把光标放在表格的单元格中。";

  // ------------------------------------------------------------------ the editor
  function richText(textarea) {
    var wrap = document.createElement("div");
    wrap.className = "rte";
    var bar = document.createElement("div");
    bar.className = "rte-bar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "正文格式");
    var note = document.createElement("p");
    note.className = "rte-note";
    note.setAttribute("role", "status");
    note.hidden = true;
    var editor = document.createElement("div");
    editor.className = "rte-area";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("aria-label", (textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent : "正文"));
    editor.appendChild(cleanFragment(textarea.value));
    if (!editor.firstChild) { editor.appendChild(emptyParagraph()); }

    var saved = null;  // the caret inside this editor, kept while a toolbar button has focus
    document.addEventListener("selectionchange", function () {
      var sel = document.getSelection();
      if (sel && sel.rangeCount && editor.contains(sel.anchorNode)) { saved = sel.getRangeAt(0).cloneRange(); }
    });
    function restoreCaret() {
      editor.focus();
      if (saved && editor.contains(saved.startContainer)) {
        var sel = document.getSelection();
        sel.removeAllRanges();
        sel.addRange(saved);
      }
    }
    function showNote(text) { note.textContent = text; note.hidden = false; }
    function sync() { textarea.value = editor.innerHTML; }

    function cellOf(node) {
      var el = node && (node.nodeType === 1 ? node : node.parentElement);
      var cell = el && el.closest("td, th");
      return cell && editor.contains(cell) ? cell : null;
    }
    function currentCell() {
      var sel = document.getSelection();
      return sel && sel.rangeCount ? cellOf(sel.anchorNode) : null;
    }
    function placeCaret(cell) {
      var range = document.createRange();
      range.selectNodeContents(cell);
      range.collapse(true);
      var sel = document.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
    function emptyCell(tag) {
      var c = document.createElement(tag);
      c.appendChild(document.createElement("br"));  // a caret place, not a non-breaking space
      return c;
    }
    function addRow(cell) {
      var row = cell.parentElement;
      var fresh = document.createElement("tr");
      for (var i = 0; i < row.cells.length; i++) { fresh.appendChild(emptyCell("td")); }
      row.parentNode.insertBefore(fresh, row.nextSibling);
      return fresh;
    }
    function addColumn(cell) {
      var index = cell.cellIndex;
      Array.prototype.forEach.call(cell.closest("table").rows, function (row) {
        var ref = row.cells[Math.min(index, row.cells.length - 1)];
        var added = emptyCell(ref && ref.nodeName === "TH" ? "th" : "td");
        row.insertBefore(added, ref ? ref.nextSibling : null);
      });
      return cell.parentElement.cells[index + 1];
    }
    // After a removal the caret goes to the neighbouring cell, so the next button press works.
    function removeRow(cell) {
      var row = cell.parentElement;
      var table = row.closest("table");
      if (table.rows.length <= 1) { table.remove(); return null; }
      var near = row.nextElementSibling || row.previousElementSibling;
      var index = cell.cellIndex;
      row.remove();
      return near ? near.cells[Math.min(index, near.cells.length - 1)] : null;
    }
    function removeColumn(cell) {
      var index = cell.cellIndex;
      var row = cell.parentElement;
      var table = cell.closest("table");
      if (row.cells.length <= 1) { table.remove(); return null; }
      Array.prototype.slice.call(table.rows).forEach(function (r) {
        if (r.cells[index]) { r.deleteCell(index); }
      });
      return row.cells[Math.min(index, row.cells.length - 1)];
    }
    function inTable(action) {
      return function () {
        var cell = currentCell();
        if (!cell) { showNote(CELL_NOTE); return; }
        var next = action(cell);
        if (next && next.nodeType === 1) { placeCaret(next.nodeName === "TR" ? next.cells[0] : next); }
      };
    }

    var buttons = [
      ["bold", "加粗", function () { document.execCommand("bold"); }],
      ["ol", "编号列表", function () { document.execCommand("insertOrderedList"); }],
      ["ul", "项目列表", function () { document.execCommand("insertUnorderedList"); }],
      null,
      ["table", "插入表格", function () {
        document.execCommand("insertHTML", false,
          "<table><tbody><tr><th>项目</th><th>内容</th></tr><tr><td><br></td><td><br></td></tr></tbody></table><p><br></p>");
      }],
      ["row", "加一行", inTable(addRow)],
      ["col", "加一列", inTable(addColumn)],
      ["delrow", "删除行", inTable(removeRow)],
      ["delcol", "删除列", inTable(removeColumn)],
      null,
      ["p", "清除格式", function () { document.execCommand("removeFormat"); document.execCommand("formatBlock", false, "p"); }]
    ];
    buttons.forEach(function (b) {
      if (!b) {
        var sep = document.createElement("span");
        sep.className = "rte-sep";
        sep.setAttribute("aria-hidden", "true");
        bar.appendChild(sep);
        return;
      }
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "button small";
      btn.textContent = b[1];
      btn.dataset.cmd = b[0];
      btn.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep the caret in the text
      btn.addEventListener("click", function () { restoreCaret(); b[2](); sync(); });
      bar.appendChild(btn);
    });

    editor.addEventListener("focus", function () {
      document.execCommand("defaultParagraphSeparator", false, "p");  // Enter makes <p>, not <div>
    });
    editor.addEventListener("input", sync);
    editor.addEventListener("blur", sync);

    // Tab in a table moves to the next cell (Shift+Tab: the previous one); Tab in the last
    // cell adds a row.  Outside a table, or after Esc, Tab leaves the editor as usual.
    var escaped = false;
    editor.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { escaped = true; return; }
      if (e.key !== "Tab" || e.altKey || e.ctrlKey || e.metaKey) { escaped = false; return; }
      var cell = currentCell();
      if (!cell || escaped) { escaped = false; return; }
      e.preventDefault();
      var table = cell.closest("table");
      var cells = Array.prototype.filter.call(table.querySelectorAll("td, th"), function (c) {
        return c.closest("table") === table;
      });
      var i = cells.indexOf(cell);
      if (e.shiftKey) {
        if (i > 0) { placeCaret(cells[i - 1]); }
        return;
      }
      if (i < cells.length - 1) { placeCaret(cells[i + 1]); return; }
      placeCaret(addRow(cell).cells[0]);
      sync();
    });

    // Pasted markup is cleaned like the textarea's; images are not part of a 正文 — say so.
    editor.addEventListener("paste", function (e) {
      var data = e.clipboardData;
      if (!data) { return; }
      var html = data.getData("text/html");
      var text = data.getData("text/plain");
      var image = /<img[\s>]/i.test(html) || Array.prototype.some.call(data.items || [], function (item) {
        return item.kind === "file" && /^image\//.test(item.type);
      });
      e.preventDefault();
      if (html) {
        var holder = document.createElement("div");
        holder.appendChild(cleanFragment(html));
        if (holder.textContent.trim() || holder.querySelector("table, br")) {
          document.execCommand("insertHTML", false, holder.innerHTML);
        }
      } else if (text) {
        document.execCommand("insertText", false, text);
      }
      if (image) { showNote(IMAGE_NOTE); }
      sync();
    });
    editor.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) {
        e.preventDefault();
        showNote(FILE_NOTE);
      }
    });

    textarea.hidden = true;
    textarea.parentNode.insertBefore(wrap, textarea);
    wrap.appendChild(bar);
    wrap.appendChild(note);
    wrap.appendChild(editor);
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
    textarea.dataset.enhanced = "1";
  }

  // ------------------------------------------------------------------ the drafting form
  function toggleNonPublic(form) {
    var block = form.querySelector(".nonpublic-only");
    if (!block) { return; }
    var checked = form.querySelector("input[name=disclosure]:checked");
    block.hidden = !checked || checked.value === "public";
  }

  // The 主送机关 is marked required for the 文种 that need one (webapp/doctypes.py).
  function recipientsMark(select) {
    var types = (select.dataset.recipientsRequired || "").split(",");
    var mark = select.form && select.form.querySelector("[data-recipients-mark]");
    if (mark) { mark.hidden = types.indexOf(select.value) < 0; }
  }

  // ------------------------------------------------------------------ file sizes
  // A file over the limit is refused here, before minutes of upload end in a refusal.
  function megabytes(n) { return (n / 1048576).toFixed(1).replace(/\.0$/, ""); }

  function sizeMessage(input) {
    var field = input.closest(".field") || input.parentNode;
    var msg = field.querySelector(".field-error");
    if (!msg) {
      msg = document.createElement("p");
      msg.className = "field-error";
      msg.id = (input.id || "file") + "-size-error";
      field.appendChild(msg);
    }
    msg.setAttribute("role", "alert");
    return msg;
  }

  function checkFileSize(input) {
    var max = parseInt(input.dataset.maxBytes, 10);
    if (!max || !input.files || !input.files.length) { return true; }
    var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; })[0];
    var msg = sizeMessage(input);
    if (big) {
      msg.textContent = "文件“" + big.name + "”有 " + megabytes(big.size) + " MB，超过 " + megabytes(max) +
        " MB 的上限，没有上传。请压缩或拆分后重新选择。";
      msg.hidden = false;
      input.value = "";
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", msg.id);
      return false;
    }
    msg.hidden = true;  // a new, acceptable file: the earlier message no longer applies
    msg.textContent = "";
    input.removeAttribute("aria-invalid");
    return true;
  }

  function fileInputsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.type === "file" && el.dataset.maxBytes;
    });
  }

  document.addEventListener("change", function (e) {
    if (e.target.type === "file" && e.target.dataset.maxBytes) { checkFileSize(e.target); }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var ok = fileInputsOf(form).every(checkFileSize);
    var intent = e.submitter && e.submitter.name === "intent" ? e.submitter.value : "";
    if (ok && intent === "attach") {
      var chosen = fileInputsOf(form).some(function (el) { return el.files && el.files.length; });
      if (!chosen) {
        var input = fileInputsOf(form)[0];
        if (input) {
          var msg = sizeMessage(input);
          msg.textContent = "请先选择要上传的附件。";
          msg.hidden = false;
          input.focus();
        }
        ok = false;
      }
    }
    if (!ok) { e.preventDefault(); }
  }, true);

  // ------------------------------------------------------------------ layout preview
  var A4_WIDTH_PX = 210 * 96 / 25.4;

  function fitPreviews(root) {
    root.querySelectorAll(".gw-preview-frame").forEach(function (frame) {
      var page = frame.querySelector(".gw-page");
      if (!page) { return; }
      page.style.zoom = "";
      var preset = parseFloat(getComputedStyle(page).zoom) || 1;
      var style = getComputedStyle(frame);
      var room = frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 2;
      if (A4_WIDTH_PX * preset > room && room > 0) {
        page.style.zoom = String(Math.max(0.15, Math.floor(room / A4_WIDTH_PX * 1000) / 1000));
      }
    });
  }

  var resizing = false;
  window.addEventListener("resize", function () {
    if (resizing) { return; }
    resizing = true;
    window.requestAnimationFrame(function () { resizing = false; fitPreviews(document); });
  });

  // ------------------------------------------------------------------ the side menu on phones
  function menu() {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("sidenav");
    if (!toggle || !nav) { return; }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function init(root) {
    root.querySelectorAll("textarea[data-richtext]:not([data-enhanced])").forEach(richText);
    root.querySelectorAll("form.doc-form").forEach(function (form) {
      if (form.dataset.wired) { return; }
      form.dataset.wired = "1";
      toggleNonPublic(form);
      form.addEventListener("change", function (e) {
        if (e.target.name === "disclosure") { toggleNonPublic(form); }
        if (e.target.dataset && e.target.dataset.recipientsRequired !== undefined) { recipientsMark(e.target); }
      });
    });
    root.querySelectorAll("select[data-recipients-required]").forEach(recipientsMark);
    fitPreviews(root);
  }

  // De-identification review: a selection inside a field's text fills the manual-finding form.
  document.addEventListener("selectionchange", function () {
    var sel = document.getSelection();
    if (!sel || sel.isCollapsed || !sel.anchorNode) { return; }
    var el = sel.anchorNode.nodeType === 1 ? sel.anchorNode : sel.anchorNode.parentElement;
    var field = el && el.closest(".scan-text");
    var input = document.getElementById("manual-text");
    if (!field || !input) { return; }
    input.value = sel.toString().trim().slice(0, 100);
    document.getElementById("manual-field").value = field.dataset.field;
  });

  document.addEventListener("DOMContentLoaded", function () { menu(); init(document); });
  document.addEventListener("htmx:afterSwap", function (e) {
    init(e.target);
    var field = e.target.querySelector && e.target.querySelector("textarea, [autofocus]");
    if (field) { field.focus(); }
  });
})();
