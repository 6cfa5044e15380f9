package dev.connecttray.ui;

import dev.connecttray.desktop.LinkOutcome;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** Opens a web page in the desktop's browser ({@code FolderOpener.browse}); a seam for tests. */
@FunctionalInterface
public interface LinkBrowser {
    /** Returns at once; completes once the browser was asked, with whether that worked. */
    CompletableFuture<LinkOutcome> browse(URI link);
}
