import GraphCore

/// `index.html` for a folder of frames: one self-contained page (no network, no other files
/// than the frames, and not even those with `--single-file`, which embeds them as `data:` URIs) that steps through the pictures by click or keys and shows each step's
/// sentence under the picture, in the page (the pictures carry no caption, so every frame is
/// the size of the single picture).
///
/// Made for a projector: the picture fills the window above a two-line bar (scaled up or down,
/// `object-fit: contain`); → ↓ PageDown Space step forward and ← ↑ PageUp back (PageUp and
/// PageDown are what presentation clickers send), Home and End jump to the ends. The address
/// follows the count the page shows: `index.html#8` opens the frame shown as "8 / 14", and
/// `#reverse-3` opens step 3 of the reverse sweep; editing the address moves to that frame.
enum FramesPage {
    struct Entry: Sendable {
        /// File name of the frame, relative to the page.
        var file: String
        var title: String
        var caption: String
        /// For `--format dot`, the DOT text, shown as text.
        var dot: String?
        /// The sweep and the steps done, for `#reverse-3`.
        var phase: Phase = .primal
        var step: Int = 0
        /// The picture itself as a `data:` URI (`--single-file`), in place of `file`.
        var embedded: String?
    }

    /// JSON with every `</` written `<\/` (valid JSON: `\/` is `/`), so no text can close the
    /// script element. Byte by byte: a DOT frame holds a `</` per cell and font, and a page
    /// holds every frame (Foundation's search took most of `export --frames --format dot`).
    static func scriptSafe(_ json: String) -> String {
        var text = json
        return text.withUTF8 { bytes in
            let open = UInt8(ascii: "<"), slash = UInt8(ascii: "/"), backslash = UInt8(ascii: "\\")
            var breaks = 0
            for k in bytes.indices.dropFirst() where bytes[k] == slash && bytes[k - 1] == open { breaks += 1 }
            guard breaks > 0 else { return json }
            return String(unsafeUninitializedCapacity: bytes.count + breaks) { out in
                var n = 0
                for k in bytes.indices {
                    if k > 0 && bytes[k] == slash && bytes[k - 1] == open {
                        out[n] = backslash
                        n += 1
                    }
                    out[n] = bytes[k]
                    n += 1
                }
                return n
            }
        }
    }

    static func html(name: String, format: ImageFormat, entries: [Entry], background palette: DotPalette = .light,
                     legend: String? = nil) -> String {
        func js(_ value: JSON) -> String { scriptSafe(value.text) }
        let data = entries.map { e in
            var members: [(key: String, value: JSON)] = [("file", .string(e.file)), ("title", .string(e.title)), ("caption", .string(e.caption)),
                                                         ("phase", .string(e.phase.rawValue)), ("step", .int(e.step))]
            if let dot = e.dot { members.append(("dot", .string(dot))) }
            if let embedded = e.embedded { members.append(("src", .string(embedded))) }
            return js(.object(members))
        }.joined(separator: ",\n  ")
        let title = DotWriter.escape(name)
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title): frames</title>
            <style>
              html, body { height: 100%; margin: 0; }
              body { font-family: system-ui, sans-serif; padding: 0; box-sizing: border-box; height: 100vh; overflow: hidden;
                     color: \(palette.text); background: \(palette.background);
                     display: flex; flex-direction: column; }
              #picture { cursor: pointer; flex: 1 1 auto; min-height: 0; position: relative; }
              #picture img, #picture object { position: absolute; inset: 0; width: 100%; height: 100%;
                                              max-width: 100vw; max-height: 100vh; object-fit: contain; }
              #picture pre { position: absolute; inset: 0; margin: 0; padding: 0.5em; overflow: auto;
                             background: \(palette.tint(palette.text, 0.06)); }
              #bar { flex: 0 0 auto; padding: 0.2em 1em 0.4em; }
              nav { display: flex; gap: 0.8em; align-items: center; flex-wrap: wrap; font-size: 0.9em; }
              button { font-size: 1em; padding: 0.1em 0.7em; }
              #where { font-weight: bold; }
              .hint, #legend { color: \(palette.muted); }
              #caption { font-family: ui-monospace, monospace; font-size: 1.15em; margin: 0.2em 0 0; white-space: pre-wrap;
                         max-height: 4.2em; overflow: auto; }
            </style>
            </head>
            <body>
            <div id="picture"></div>
            <div id="bar">
            <div id="caption"></div>
            <nav>
              <button id="previous" title="previous step (← ↑ PageUp)">◀</button>
              <span id="where"></span>
              <button id="next" title="next step (→ ↓ PageDown Space)">▶</button>
              <span class="hint">\(title) · → ↓ PageDown / ← ↑ PageUp, Home / End, or click the picture</span>
              \(legend.map { "<span id=\"legend\">\(DotWriter.escape($0))</span>" } ?? "")
            </nav>
            </div>
            <script>
            const format = \(js(.string(format.rawValue)));
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
                view.data = f.src || encodeURIComponent(f.file);
              } else {
                view = document.createElement("img");
                view.src = f.src || encodeURIComponent(f.file);
                view.alt = f.title;
              }
              picture.replaceChildren(view);
              document.getElementById("where").textContent = (current + 1) + " / " + frames.length + " · " + f.title;
              document.getElementById("caption").textContent = f.caption;
              document.body.dataset.frame = String(current + 1);
              // The address counts as the page does, from 1.
              if (location.hash !== "#" + (current + 1)) {
                try { history.replaceState(null, "", "#" + (current + 1)); } catch (e) {}
              }
            }
            // `#8`: the eighth frame as the page counts; `#reverse-3`: step 3 of that sweep.
            function fromAddress() {
              const hash = decodeURIComponent(location.hash.slice(1));
              const sweep = /^([a-z]+)-([0-9]+)$/.exec(hash);
              if (sweep) {
                const k = frames.findIndex(f => f.phase === sweep[1] && f.step === parseInt(sweep[2], 10));
                if (k >= 0) { show(k); return; }
              }
              const n = parseInt(hash, 10);
              show(Number.isFinite(n) ? n - 1 : 0);
            }
            window.addEventListener("hashchange", fromAddress);
            document.getElementById("previous").onclick = () => show(current - 1);
            document.getElementById("next").onclick = () => show(current + 1);
            document.getElementById("picture").onclick = (e) => show(current + (e.shiftKey ? -1 : 1));
            document.addEventListener("keydown", (e) => {
              if (e.altKey || e.ctrlKey || e.metaKey) return;
              if (["ArrowRight", "ArrowDown", "PageDown", " "].includes(e.key)) { show(current + 1); e.preventDefault(); }
              else if (["ArrowLeft", "ArrowUp", "PageUp"].includes(e.key)) { show(current - 1); e.preventDefault(); }
              else if (e.key === "Home") { show(0); e.preventDefault(); }
              else if (e.key === "End") { show(frames.length - 1); e.preventDefault(); }
            });
            fromAddress();
            </script>
            </body>
            </html>

            """
    }
}
