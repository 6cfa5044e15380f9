package dev.connecttray.view;

import java.util.List;
import java.util.Objects;

/**
 * What the tray shows, as plain data: the icon, the tooltip and the menu. Built from the state
 * by {@link TrayMenuBuilder}; rendered by the tray's {@code TrayView}, which knows nothing of states.
 */
public record TrayMenu(IconState icon, String tooltip, List<Item> items) {
    public TrayMenu {
        Objects.requireNonNull(icon, "icon");
        Objects.requireNonNull(tooltip, "tooltip");
        items = List.copyOf(items);
    }

    /** What a menu entry does when picked. */
    public enum Action { RECONNECT, SHOW_STATUS, OPEN_LOG_FOLDER, TOGGLE_START_AT_LOGIN, QUIT }

    /** One menu entry. */
    public sealed interface Item {
    }

    /** A line of text that cannot be picked: the state in words. */
    public record Status(String text) implements Item {
        public Status {
            Objects.requireNonNull(text, "text");
        }
    }

    /** An entry that does {@code action}. */
    public record Entry(String label, Action action, boolean enabled) implements Item {
        public Entry {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(action, "action");
        }
    }

    /** An entry with a check mark. */
    public record Check(String label, Action action, boolean checked) implements Item {
        public Check {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(action, "action");
        }
    }

    /** A dividing line. */
    public record Separator() implements Item {
    }
}
