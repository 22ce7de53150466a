"""The few hundred most common English words, which no redact entry or screened identifier may be.

A ``redact`` entry blanks every whole-word match in every quote, so an entry such as "the" or "will" would
leave nothing worth quoting; screening likewise ignores a record's value that is a common word. The words are
the 500 most frequent in English according to wordfreq 3.1.1 (Robyn Speer's word-frequency data, drawn from
Wikipedia, subtitles, news, books, web text, Twitter and Reddit; licensed CC BY-SA 4.0), in its order, as
``wordfreq.top_n_list("en", 500)`` gives them, less what is not a word (digits, "u.s", single letters other
than "a" and "i"), three profanities, and two proper names ("john", "york") that a redact list may rightly hold.
wordfreq is not a dependency: the list is kept here so that loading a round needs no download.
"""

from __future__ import annotations

__all__ = ["COMMON_WORDS"]

# fmt: off
_WORDS = """
the to and of a in i is for that you it on with this was be as are have at he not by but from my or we an your
all so his they me if one can will just like about up out what has when more do no were who had it's their there
her which time get been would she new people how don't some also them now other i'm its our than good only after
first him into know see two make over think any then could back these us want because go well said way most much
very where even should may here need really did right work year years being day too going before off why made
still take got many never those life say world down great through you're last that's while best such love man
home long look something use can't same used both every am come part state three around between always better
find help high little old since another does own things under during game i've thing give house place school
again next each mr without against didn't end found must show big feel sure team ever family keep might please
put money free second someone away left number city days lot name night play until company doing few he's let
real called different having set thought done however getting god government group looking public top women
business care start system times week already anything case nothing person today change enough everything full
live making point read there's told yet bad doesn't four hard mean once support tell including music power seen
states stop water based believe call head men national small took white came far job side though try went yes
actually american later less line order party run says service country open season thank children everyone
general they're trying united using area black following law makes together war whole car face five kind maybe
per president story working course games health hope important least means news within able book early friends
i'll information local oh post thanks video young ago others social talk court fact given guys half hand isn't
level mind often single become body coming control death food guy hours office pay problem south true we're
almost history known large lost research room several started taking university win wrong along anyone else girl
matter pretty remember air bit friend hit needs nice playing probably saying understand yeah class close comes
i'd idea international looks past possible wanted cause due happy human members months move question series wait
woman ask community data late leave north saw special watch won't either future light low million morning police
short stay taken age buy deal rather reason red report soon third turn whether among check development form
further heart minutes myself services yourself act although asked child"""
# fmt: on

#: The common English words, in lower case; compare with ``word.casefold()``.
COMMON_WORDS: frozenset[str] = frozenset(_WORDS.split())
