package dev.kft.events;

/** Commands on {@link Topics#JOBS}: what a user asks kft to do with a job. */
public sealed interface JobCommand extends Event permits SubmitJob {}
