// Show why an image upload was refused, next to the editor, instead of only in
// the browser console where django-markdownx puts it.
document.addEventListener("markdownx.fileUploadError", (event) => {
  const editor = event.target;
  const detail = event.detail && event.detail[0];
  let message = editor.querySelector(".upload-error");
  if (!message) {
    message = document.createElement("p");
    message.className = "upload-error errornote";
    message.setAttribute("role", "alert");
    editor.prepend(message);
  }
  message.textContent = (detail && detail.error) || "The image could not be uploaded.";
}, true);
document.addEventListener("markdownx.fileUploadEnd", (event) => {
  const message = event.target.querySelector(".upload-error");
  if (message) message.remove();
}, true);
