// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IFeed {
    function latest() external view returns (int256 answer, uint64 updatedAt);
    function decimals() external view returns (uint8);
    function poke(uint256 round) external payable;
    function flag() external returns (bool);
}

enum Mode { Off, On, Paused }

interface IModal {
    function setMode(Mode m) external returns (Mode);
}

/// try/catch around interface calls: success and catch paths, decoding failures, no-code targets.
contract TryCatch {
    IFeed public feed;
    IModal public modal;
    int256 public lastGood;
    uint256 public failures;
    event Fallback(uint256 reasonLength);

    function read() external returns (int256) {
        try feed.latest() returns (int256 answer, uint64 updatedAt) {
            if (updatedAt == 0) return lastGood;
            lastGood = answer;
            return answer;
        } catch {
            failures += 1;
            return lastGood;
        }
    }

    function readWithReason() external returns (uint256) {
        try feed.decimals() returns (uint8 d) {
            return d;
        } catch (bytes memory reason) {
            emit Fallback(reason.length);
            return 18;
        }
    }

    function poke(uint256 round) external payable returns (bool ok) {
        try feed.poke{value: msg.value}(round) {
            ok = true;
        } catch {
            failures++;
        }
    }

    function noReturnsClause() external returns (uint256) {
        try feed.flag() {
            return 1;
        } catch {
            return 2;
        }
    }

    function isFeed(IFeed f) external view returns (bool, bool) {
        return (f == feed, f != IFeed(address(0)));
    }

    function modeOf(uint8 raw) external returns (uint8) {
        try modal.setMode(Mode(raw % 3)) returns (Mode m) {
            return uint8(m);
        } catch {
            return 255;
        }
    }
}
