package dev.replyclock.ingest;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.thread.MessageSet;

import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** Receives what a {@link MailSource} reads, one item at a time, so that no source holds a whole mailbox. */
public interface MessageSink {

    /** One file (or other unit of storage) was read; an mbox file counts once. */
    void fileRead();

    /** A readable message, with one {@link dev.replyclock.domain.Place}. */
    void message(MailMessage message);

    /** Something that held no readable message; {@code where} names it (a path), {@code reason} says why. */
    void unreadable(String where, String reason);

    /** A sink that fills {@code set}: messages added, files and unreadable files counted (their reasons dropped). */
    static MessageSink into(MessageSet set) {
        return into(set, (where, reason) -> { });
    }

    /** The same, telling {@code problems} where and why each unreadable file was. */
    static MessageSink into(MessageSet set, BiConsumer<String, String> problems) {
        return new MessageSink() {
            @Override
            public void fileRead() {
                set.fileRead();
            }

            @Override
            public void message(MailMessage message) {
                set.add(message);
            }

            @Override
            public void unreadable(String where, String reason) {
                set.unreadable();
                problems.accept(where, reason);
            }
        };
    }

    /** Passes on what {@code sink} gets, but only the messages {@code keep} accepts (files are counted regardless). */
    static MessageSink filtered(MessageSink sink, Predicate<MailMessage> keep) {
        return new MessageSink() {
            @Override
            public void fileRead() {
                sink.fileRead();
            }

            @Override
            public void message(MailMessage message) {
                if (keep.test(message)) {
                    sink.message(message);
                }
            }

            @Override
            public void unreadable(String where, String reason) {
                sink.unreadable(where, reason);
            }
        };
    }
}
