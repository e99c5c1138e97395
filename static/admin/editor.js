// The page editor in admin: a toolbar that writes the Markdown, image upload with a
// button, and a preview styled by the public site's own stylesheet (in a shadow
// root, so neither the admin's styles nor the site's leak into the other).
// Loaded as a file, with no inline code, so it works under the site's strict CSP.
(() => {
  "use strict";

  const BOXES = {
    emergency: "Call 911 or go to the ER now if you have",
    urgent: "Call the clinic today if",
    routine: "Book a visit if",
  };
  const ALT = "Describe the image";

  // Replace the selection (or insert at the cursor) and select `select` within it.
  function put(editor, text, select) {
    const start = editor.selectionStart;
    editor.setRangeText(text, start, editor.selectionEnd, "end");
    if (select) {
      const at = text.indexOf(select);
      if (at >= 0) editor.setSelectionRange(start + at, start + at + select.length);
    }
    editor.focus();
    editor.dispatchEvent(new Event("input", { bubbles: true })); // markdownx previews
  }

  // Text that must stand on lines of its own (boxes, images, headings): blank lines
  // around it unless already there, so nothing it lands next to is broken.
  function ownLines(editor, text) {
    const before = editor.value.slice(0, editor.selectionStart);
    const after = editor.value.slice(editor.selectionEnd);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const tail = after === "" || after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    return lead + text + tail;
  }

  function wrap(editor, mark, fallback) {
    const chosen = editor.value.slice(editor.selectionStart, editor.selectionEnd) || fallback;
    put(editor, mark + chosen + mark, chosen);
  }

  function linePrefix(editor, prefix, fallback) {
    const chosen = editor.value.slice(editor.selectionStart, editor.selectionEnd);
    if (!chosen) {
      put(editor, ownLines(editor, prefix + fallback), fallback);
      return;
    }
    const lines = chosen.split("\n").map((line, n) =>
      line.trim() ? prefix.replace("1.", `${n + 1}.`) + line.replace(/^(#+|[-*]|\d+\.)\s+/, "") : line);
    put(editor, lines.join("\n"));
  }

  function showError(box, message) {
    box.textContent = message;
    box.hidden = !message;
  }

  function upload(editor, file, errors) {
    const form = editor.closest("form");
    const data = new FormData();
    data.append("image", file);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    showError(errors, "");
    editor.setAttribute("aria-busy", "true");
    fetch(editor.dataset.markdownxUploadUrlsPath, { method: "POST", body: data, credentials: "same-origin" })
      .then((response) => response.json().catch(() => ({})))
      .then((answer) => {
        if (answer.image_code) {
          put(editor, ownLines(editor, answer.image_code), ALT);
        } else {
          showError(errors, answer.error || "The image could not be uploaded. Please try another file.");
        }
      })
      .catch(() => showError(errors, "The image could not be uploaded: the connection failed. Please try again."))
      .finally(() => editor.removeAttribute("aria-busy"));
  }

  function button(label, title, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "editor-button";
    element.textContent = label;
    if (title) element.title = title;
    element.addEventListener("click", action);
    return element;
  }

  function setUp(container) {
    const editor = container.querySelector("textarea");
    const oldPreview = container.querySelector(".markdownx-preview");
    if (!editor || container.dataset.editor) return;
    container.dataset.editor = "on";
    const label = document.querySelector(`label[for="${editor.id}"]`);
    const name = (label ? label.textContent : editor.name).replace(/:\s*$/, "").trim().toLowerCase();
    container.classList.add("page-editor");

    const errors = document.createElement("p");
    errors.className = "upload-error errornote";
    errors.setAttribute("role", "alert");
    errors.hidden = true;

    const picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "image/jpeg,image/png,image/webp";
    picker.hidden = true;
    picker.addEventListener("change", () => {
      if (picker.files.length) upload(editor, picker.files[0], errors);
      picker.value = "";
    });

    const toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", `Formatting for ${name}`);
    toolbar.append(
      button("Section heading", "## A heading", () => linePrefix(editor, "## ", "Section heading")),
      button("Subheading", "### A smaller heading", () => linePrefix(editor, "### ", "Subheading")),
      button("Bold", "**bold**", () => wrap(editor, "**", "bold text")),
      button("Bulleted list", "- item", () => linePrefix(editor, "- ", "List item")),
      button("Numbered list", "1. item", () => linePrefix(editor, "1. ", "First step")),
      button("Link", "[words](https://…)", () => {
        const words = editor.value.slice(editor.selectionStart, editor.selectionEnd) || "link text";
        put(editor, `[${words}](https://)`, "https://");
      }),
      button("Image…", "Upload a JPEG, PNG or WebP image", () => picker.click()),
      button("911 box", "Call 911 or go to the ER now", () => box(editor, "emergency")),
      button("Call-today box", "Call the clinic today", () => box(editor, "urgent")),
      button("Book-a-visit box", "Book a visit", () => box(editor, "routine")),
      picker,
    );

    // The preview, styled by the public stylesheet inside a shadow root.
    const host = document.createElement("div");
    host.className = "editor-preview";
    host.setAttribute("role", "region");
    host.setAttribute("aria-label", `Preview of ${name}, as patients will see it`);
    const shadow = host.attachShadow({ mode: "open" });
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = document.querySelector("meta[name=site-stylesheet]").content;
    const prose = document.createElement("div");
    prose.className = "prose";
    shadow.append(sheet, prose);
    if (oldPreview) oldPreview.hidden = true;

    container.prepend(toolbar, errors);
    container.append(host);
    container.addEventListener("markdownx.update", () => {
      prose.innerHTML = oldPreview.innerHTML; // already sanitised by spinesite.markdown
    });

    // Uploads go through the button's path, not markdownx's (which writes
    // "Invalid response" into the text on an error, and puts the image mid-line).
    const takeFiles = (files, event) => {
      if (!files || !files.length) return;
      event.preventDefault();
      event.stopPropagation();
      Array.from(files).forEach((file) => upload(editor, file, errors));
    };
    container.addEventListener("drop", (event) => takeFiles(event.dataTransfer && event.dataTransfer.files, event), true);
    container.addEventListener("paste", (event) => takeFiles(event.clipboardData && event.clipboardData.files, event), true);
    // A first preview, once markdownx (loaded after this file) listens.
    window.addEventListener("load", () => editor.dispatchEvent(new Event("input", { bubbles: true })));
  }

  function box(editor, tier) {
    const text = `!!! ${tier} "${BOXES[tier]}"\n    - Describe the sign\n    - Another sign`;
    put(editor, ownLines(editor, text), "Describe the sign");
  }

  function start() {
    document.querySelectorAll(".markdownx").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
