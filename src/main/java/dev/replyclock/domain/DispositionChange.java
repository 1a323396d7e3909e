package dev.replyclock.domain;


/**
 * One entry of a lead's disposition audit trail: {@code set} or {@code withdrawn}, with the disposition it set or
 * withdrew; its {@code setBy}/{@code setAt} are who made this change and when.
 */
public record DispositionChange(String action, Disposition disposition) {
}
