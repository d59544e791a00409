#!/bin/sh
echo built > tools.out
