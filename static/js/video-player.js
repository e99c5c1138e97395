// The video library's click-to-load player (videos/templates/videos/player.html).
//
// The page shows a thumbnail from this site and a Play link. Nothing is loaded from
// YouTube or Vimeo until the viewer presses Play: this script turns each link into a
// real button (Enter and Space both work) and, on press, puts the player in its
// place. Nothing ever starts on its own; playback starts because the viewer asked.
(function () {
  "use strict";

  function fileVideo(link) {
    var video = document.createElement("video");
    video.controls = true;
    video.preload = "auto";
    video.setAttribute("playsinline", "");
    video.setAttribute("aria-label", link.dataset.title);
    var source = document.createElement("source");
    source.src = link.dataset.src;
    video.appendChild(source);
    var track = document.createElement("track");
    track.kind = "captions";
    track.src = link.dataset.captions;
    // A translated page's own track (videos/player.html), else the English one.
    track.srclang = link.dataset.captionsLang || "en";
    track.label = track.srclang === "es" ? "Español" : "English";
    track.default = true;
    video.appendChild(track);
    var fallback = document.createElement("a");
    fallback.href = link.dataset.src;
    // The text comes from the page, in its language (videos/player.html).
    fallback.textContent =
      link.dataset.fallback || "Your browser cannot play this video here. Open the video file.";
    video.appendChild(fallback);
    return video;
  }

  function hostedVideo(link) {
    var frame = document.createElement("iframe");
    frame.src = link.dataset.src;
    frame.title = link.dataset.title;
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    return frame;
  }

  function play(link, button) {
    var player = link.dataset.player === "file" ? fileVideo(link) : hostedVideo(link);
    player.className = "video-frame";
    button.replaceWith(player);
    player.focus();
    if (player.tagName === "VIDEO") {
      if (player.textTracks.length) player.textTracks[0].mode = "showing";
      var started = player.play();
      if (started && started.catch) started.catch(function () {});  // controls remain
    }
  }

  document.querySelectorAll("a.video-play[data-player]").forEach(function (link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("aria-label", link.getAttribute("aria-label"));
    while (link.firstChild) button.appendChild(link.firstChild);
    link.replaceWith(button);
    button.addEventListener("click", function () { play(link, button); }, { once: true });
  });
})();
