import GraphCore

/// `index.html` for a folder of frames: one self-contained page (no network, no other files
/// than the frames) that steps through the pictures by click or arrow keys and shows each
/// step's trace row under the picture.
enum FramesPage {
    struct Entry: Sendable {
        /// File name of the frame, relative to the page.
        var file: String
        var title: String
        var caption: String
        /// For `--format dot`, the DOT text, shown as text.
        var dot: String?
    }

    static func html(name: String, format: ImageFormat, entries: [Entry]) -> String {
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
              body { font-family: system-ui, sans-serif; margin: 1em 2em; color: #1a1a1a; background: #fff; }
              nav { display: flex; gap: 1em; align-items: center; margin-bottom: 0.5em; }
              button { font-size: 1em; padding: 0.2em 0.8em; }
              #where { font-weight: bold; }
              .hint { color: #777; }
              #picture { cursor: pointer; min-height: 10em; }
              #picture img, #picture object { max-width: 100%; }
              #picture pre { background: #f4f4f4; padding: 0.5em; overflow: auto; }
              #caption { font-family: ui-monospace, monospace; font-size: 1.15em; margin-top: 0.8em; white-space: pre-wrap; }
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
              try { history.replaceState(null, "", "#" + current); } catch (e) {}
            }
            document.getElementById("previous").onclick = () => show(current - 1);
            document.getElementById("next").onclick = () => show(current + 1);
            document.getElementById("picture").onclick = (e) => show(current + (e.shiftKey ? -1 : 1));
            document.addEventListener("keydown", (e) => {
              if (e.key === "ArrowRight" || e.key === " ") { show(current + 1); e.preventDefault(); }
              else if (e.key === "ArrowLeft") { show(current - 1); e.preventDefault(); }
              else if (e.key === "Home") show(0);
              else if (e.key === "End") show(frames.length - 1);
            });
            show(parseInt(location.hash.slice(1), 10) || 0);
            </script>
            </body>
            </html>

            """
    }
}
