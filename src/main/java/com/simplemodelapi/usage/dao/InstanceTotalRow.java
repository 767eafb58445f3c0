package com.simplemodelapi.usage.dao;

/** The instances a user's calls predicted since two points in time: the start of a day, and of a month. */
public record InstanceTotalRow(String userName, long sinceDay, long sinceMonth) {
}
