package dev.connecttray.tray;

import dev.connecttray.view.TrayMenu;
import java.util.function.Consumer;

/**
 * The tray icon and its menu on one platform. Implementations render a {@link TrayMenu} and
 * report picked entries; they know nothing of connection states.
 */
public interface TrayView extends AutoCloseable {

    /**
     * Shows the icon with {@code menu}; called again with a new menu on every change (and every
     * second while a countdown runs). Safe from any thread.
     */
    void show(TrayMenu menu);

    /**
     * Where picked entries go. Called on the tray library's thread: a handler that touches the UI
     * must hop to the UI thread itself.
     */
    void onAction(Consumer<TrayMenu.Action> handler);

    /** Removes the icon. */
    @Override
    void close();
}
