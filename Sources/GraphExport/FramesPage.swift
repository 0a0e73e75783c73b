import GraphCore

/// `index.html` for a folder of frames: one self-contained page (no network, no other files
/// than the frames) that steps through the pictures by click or arrow keys and shows each
/// step's trace row under the picture.
///
/// The page takes the picture's background and text colours from the theme, scales each
/// picture to fit the window (larger or smaller than it was drawn), and follows `#N` in the
/// address: opening `index.html#5` shows step 5, and editing the address moves to that frame.
enum FramesPage {
    struct Entry: Sendable {
        /// File name of the frame, relative to the page.
        var file: String
        var title: String
        var caption: String
        /// For `--format dot`, the DOT text, shown as text.
        var dot: String?
    }

    static func html(name: String, format: ImageFormat, entries: [Entry], background palette: DotPalette = .light) -> String {
        func js(_ s: String) -> String {
            // A JSON string, with `</` broken so no text can close the script element.
            JSON.string(s).replacingOccurrences(of: "</", with: "<\\/")
        }
        let data = entries.map { e in
            "{\"file\": \(js(e.file)), \"title\": \(js(e.title)), \"caption\": \(js(e.caption))"
                + (e.dot.map { ", \"dot\": \(js($0))" } ?? "") + "}"
        }.joined(separator: ",\n  ")
        let title = DotWriter.escape(name)
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(title): frames</title>
            <style>
              html, body { height: 100%; }
              body { font-family: system-ui, sans-serif; margin: 0; padding: 0.5em 1.5em; box-sizing: border-box;
                     color: \(palette.text); background: \(palette.background);
                     display: flex; flex-direction: column; }
              h1 { margin: 0.2em 0; font-size: 1.3em; }
              nav { display: flex; gap: 1em; align-items: center; margin-bottom: 0.5em; flex-wrap: wrap; }
              button { font-size: 1em; padding: 0.2em 0.8em; }
              #where { font-weight: bold; }
              .hint { color: \(palette.muted); }
              #picture { cursor: pointer; flex: 1 1 auto; min-height: 10em; position: relative; }
              #picture img, #picture object { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; }
              #picture pre { position: absolute; inset: 0; margin: 0; padding: 0.5em; overflow: auto;
                             background: \(palette.tint(palette.text, 0.06)); }
              #caption { font-family: ui-monospace, monospace; font-size: 1.15em; margin: 0.8em 0 0.3em; white-space: pre-wrap; }
            </style>
            </head>
            <body>
            <h1>\(title)</h1>
            <nav>
              <button id="previous" title="previous step (←)">◀ previous</button>
              <span id="where"></span>
              <button id="next" title="next step (→)">next ▶</button>
              <span class="hint">← → keys or click the picture; Home / End for the first and last step</span>
            </nav>
            <div id="picture"></div>
            <div id="caption"></div>
            <script>
            const format = \(js(format.rawValue));
            const frames = [
              \(data)
            ];
            let current = 0;
            function show(k) {
              current = Math.max(0, Math.min(frames.length - 1, k));
              const f = frames[current];
              const picture = document.getElementById("picture");
              let view;
              if (format === "dot") {
                view = document.createElement("pre");
                view.textContent = f.dot;
              } else if (format === "pdf") {
                view = document.createElement("object");
                view.type = "application/pdf";
                view.data = encodeURIComponent(f.file);
                view.width = "100%";
                view.height = "600";
              } else {
                view = document.createElement("img");
                view.src = encodeURIComponent(f.file);
                view.alt = f.title;
              }
              picture.replaceChildren(view);
              document.getElementById("where").textContent = f.title + "  (" + (current + 1) + " / " + frames.length + ")";
              document.getElementById("caption").textContent = f.caption;
              document.body.dataset.frame = String(current);
              if (location.hash !== "#" + current) {
                try { history.replaceState(null, "", "#" + current); } catch (e) {}
              }
            }
            function fromAddress() { show(parseInt(location.hash.slice(1), 10) || 0); }
            window.addEventListener("hashchange", fromAddress);
            document.getElementById("previous").onclick = () => show(current - 1);
            document.getElementById("next").onclick = () => show(current + 1);
            document.getElementById("picture").onclick = (e) => show(current + (e.shiftKey ? -1 : 1));
            document.addEventListener("keydown", (e) => {
              if (e.key === "ArrowRight" || e.key === " ") { show(current + 1); e.preventDefault(); }
              else if (e.key === "ArrowLeft") { show(current - 1); e.preventDefault(); }
              else if (e.key === "Home") show(0);
              else if (e.key === "End") show(frames.length - 1);
            });
            fromAddress();
            </script>
            </body>
            </html>

            """
    }
}
