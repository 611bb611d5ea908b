/* 公开通 front-end behaviour: a small rich-text editor over a <textarea>, the
   non-public fields shown only when needed, and focus after HTMX swaps.
   No inline scripts: the page's Content-Security-Policy forbids them. */
(function () {
  "use strict";

  function richText(textarea) {
    var wrap = document.createElement("div");
    wrap.className = "rte";
    var bar = document.createElement("div");
    bar.className = "rte-bar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "正文格式");
    var editor = document.createElement("div");
    editor.className = "rte-area";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("aria-label", (textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent : "正文"));
    editor.innerHTML = textarea.value || "<p><br></p>";
    var buttons = [
      ["bold", "加粗", function () { document.execCommand("bold"); }],
      ["ol", "编号列表", function () { document.execCommand("insertOrderedList"); }],
      ["ul", "项目列表", function () { document.execCommand("insertUnorderedList"); }],
      ["table", "插入表格", function () {
        document.execCommand("insertHTML", false,
          "<table><tr><th>项目</th><th>内容</th></tr><tr><td>&nbsp;</td><td>&nbsp;</td></tr></table><p><br></p>");
      }],
      ["p", "清除格式", function () { document.execCommand("removeFormat"); document.execCommand("formatBlock", false, "p"); }]
    ];
    buttons.forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "button small";
      btn.textContent = b[1];
      btn.dataset.cmd = b[0];
      btn.addEventListener("click", function () { editor.focus(); b[2](); sync(); });
      bar.appendChild(btn);
    });
    function sync() { textarea.value = editor.innerHTML; }
    editor.addEventListener("focus", function () {
      document.execCommand("defaultParagraphSeparator", false, "p");  // Enter makes <p>, not <div>
    });
    editor.addEventListener("input", sync);
    editor.addEventListener("blur", sync);
    textarea.hidden = true;
    textarea.parentNode.insertBefore(wrap, textarea);
    wrap.appendChild(bar);
    wrap.appendChild(editor);
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
    textarea.dataset.enhanced = "1";
  }

  function toggleNonPublic(form) {
    var block = form.querySelector(".nonpublic-only");
    if (!block) { return; }
    var checked = form.querySelector("input[name=disclosure]:checked");
    block.hidden = !checked || checked.value === "public";
  }

  function init(root) {
    root.querySelectorAll("textarea[data-richtext]:not([data-enhanced])").forEach(richText);
    root.querySelectorAll("form.doc-form").forEach(function (form) {
      toggleNonPublic(form);
      form.addEventListener("change", function (e) {
        if (e.target.name === "disclosure") { toggleNonPublic(form); }
      });
    });
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

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) {
    init(e.target);
    var field = e.target.querySelector && e.target.querySelector("textarea, [autofocus]");
    if (field) { field.focus(); }
  });
})();
