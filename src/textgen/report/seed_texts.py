"""Texts the seeds print, set beside ours in the report: copied character for character from the
seed files (each with the line it starts on), labelled as the seed's wherever they appear. Their
words are the seeds' models' output, not ours."""

from __future__ import annotations

# Seed 000, Figures 15-17: `write` after each evaluation (prompt "Spells", its books), the loss printed
# before each text as printed (Figure 15's first is garbled in the seed). Figures 15 and 16 print 9 of the
# 10 evaluations a 10,000-iteration run with evaluate_interval 1,000 makes; which one is missing is not shown.
SEED_000_WRITE = {'simple': {'figure': 15,
            'texts': [{'evaluation': 1,
                       'loss': '9.297721862/92069',
                       'text': 'Spells resounding bated booted Dudley dashed It disappearing uncerainly skin '
                               'wofishane modest. Do ask Lovely struck! And among brillianly likes realed Crabbes '
                               'ruelly limply dasies packed It! Kent Her bunned hairline Incantate halls released '
                               'secrets frog-marched gleaming became nonplussed Nonsense upward ideal nodding '
                               'emptier ledgers Ifea- Merlin R',
                       'line': 1005},
                      {'evaluation': 2,
                       'loss': '3.18126913104359',
                       'text': 'Spells of the pumpkin Great Hall gave Flinwick. There he was, a small scialles '
                               "that he hadn't been money, ter o' don at once, and Draco, not Mum to have "
                               'Dumbleflore on her given Professor Orell. So needes yeller and Ron, thurding up to '
                               "bed. Professor had done. Piece was snizing against the wall, wasa' a year, Kefilo. "
                               'The anck thickened his hair .',
                       'line': 1005},
                      {'evaluation': 3,
                       'loss': '3.13286737033081',
                       'text': 'Spells Voldemort re angels. said Remo at one self. She might have known how she '
                               'had been a normal reder for a week, but she had done. Piece was snizing against '
                               'the wall. When it had been cleared their hands outside a brick door across his '
                               'hair .',
                       'line': 1006},
                      {'evaluation': 4,
                       'loss': '2.677362420156016',
                       'text': 'Spells had been trying to disturb an only what, only a house-aff met him , said '
                               'Ron. However, trying to upset them . Oh, said Harry, thinking kindly .',
                       'line': 1007},
                      {'evaluation': 5,
                       'loss': '1.23095813951141367',
                       'text': 'Spells, Harry up. The figure of Salazar course, er , no offense! Luck ter M. '
                               "Ronald Weasley. Not lessons this year, there won't want to start these magical "
                               'land , and practice , and he grunted , holding .',
                       'line': 1008},
                      {'evaluation': 6,
                       'loss': '1.9420497112409851',
                       'text': 'Spells . Harry left to see that he was smiling , too. The student gave a small '
                               "hand was, no runny, but the didn't think any rule . Yearlong was punshed .",
                       'line': 1009},
                      {'evaluation': 7,
                       'loss': '1.57239757340393',
                       'text': 'Spells , he had finished , even if they ventured forth him to feel because '
                               'everyone had been sent to see her first whole thing all day. That spell . Harry '
                               'Potter ? The Chaser fro the Quaffle .',
                       'line': 1010},
                      {'evaluation': 8,
                       'loss': '1.44096521638629',
                       'text': 'Spells is to go name before you still need them to practice, that were back at '
                               'Harry ten . Well , there went be starting the great deal of minous mutering around '
                               '. Shapes went to bed .',
                       'line': 1011},
                      {'evaluation': 9,
                       'loss': '1.2469181359486833',
                       'text': "Spells . So do we know him . We're okay our houses some ! Lord Voldemort done it . "
                               'Again and joined the Gryffindors . learning to Colin . He had to star someone with '
                               "four . The water hung high , ears straining for the faintest sound . That 're was "
                               'lucky .',
                       'line': 1012}]},
 'attention': {'figure': 16,
               'texts': [{'evaluation': 1,
                          'loss': '9.29708956087280277',
                          'text': 'Spells huge skulling Difficult markings wan secretey tallest biggish dotted '
                                  'gentleman endlessly Danger tastes melon lucky leaning and ordered with '
                                  'glittering powder through a lot of Riddles davy , meanwhile . Instead . The '
                                  'smile . A bad , thinking that looked amazed . ways of unicorn blood . Hagrid .',
                          'line': 1018},
                         {'evaluation': 2,
                          'loss': '3.1684813498450684',
                          'text': "Spells , Lucius, being truly quite unremarkable to wio . Said Thanks . I can't "
                                  '. Ron on , said quickly to heat it was reading of his face now on through one . '
                                  'said a cheerfully . It improved for her arm dangling . Ron',
                          'line': 1019},
                         {'evaluation': 3,
                          'loss': '1.941447372204895',
                          'text': "Spells . We're smooching writing to the son of magical learning , stumbling , "
                                  'said Weasley . Said we got . A quib ! Harry . Weasley . Said he put to wait . '
                                  '... not like it should .',
                          'line': 1019},
                         {'evaluation': 4,
                          'loss': '1.39893483315145142',
                          'text': 'Spells , said Professor McGonagall stepped into view of the book , its breath , '
                                  'and they had raised its legs so the woudant have been wrong . I aske in a '
                                  'snailous bottle to .',
                          'line': 1020},
                         {'evaluation': 5,
                          'loss': '1.94265312751922',
                          'text': 'Spells , even for him Sir Nicholas so that . I can . In an thousands did , said '
                                  'Professor McGonagall now Professor Dumbore arrived on the monstre . I had '
                                  'broken her stat in covers .',
                          'line': 1021},
                         {'evaluation': 6,
                          'loss': '0.95741126171688',
                          'text': "Spells , it , please relax the corridor after so . We're smooching writing to "
                                  'the son of magical learning , stumbling , said Professor McGonagall stepped '
                                  'into view of the book , its breath , and they had raised its legs so the '
                                  'woudant have been wrong . I aske in a snailous bottle to .',
                          'line': 1022},
                         {'evaluation': 7,
                          'loss': '0.75904521653015',
                          'text': 'Spells enchantments , with a bit of the book But a cart , planning behind them '
                                  "along to perform a few days of study from Ron . sixteene He caught . You're not "
                                  'a proper name . He stepped out the subject as they waved and Hagrid learned .',
                          'line': 1023},
                         {'evaluation': 8,
                          'loss': '0.8524891730398093',
                          'text': 'Spells , cars to get you still years in what happened . He was only Ginny . '
                                  "When they had turned out of Erised stra ehru oy use caru on us can't oy tue .",
                          'line': 1024},
                         {'evaluation': 9,
                          'loss': '0.6216107487676526',
                          'text': "Spells , slightly dizzy Hagrid with a teacher , who made that the ink . They're "
                                  'eleven inches long , grab for ages ago , trying to .... But in case of candies '
                                  "had turned out of Erised stra ehru oy use caru on us can't oy tue .",
                          'line': 1025}]},
 'multihead': {'figure': 17,
               'texts': [{'evaluation': 1,
                          'loss': '9.297030363964844',
                          'text': 'Spells sick misunderstood theyve handed Figgs batting steadyng underton bronze '
                                  'e lining shared indistinct surely ill . statue hinges lately unidly perifled '
                                  'Beware Vernon sucked reports varlocks prickling even Unic strong yellow '
                                  'goatlingly rotting Calm bloodstained slip roosters LIVES grayish silhouetted '
                                  'loved polish mass auns grandson handful sputtering Exactly bad .',
                          'line': 1031},
                         {'evaluation': 2,
                          'loss': '3.4370815753926168',
                          'text': "Spells one can't fee . Harry sat down Harry looked into backward on upstairs "
                                  'moved with gien and ten minutes decided that ha even because theyd before it '
                                  'should contact with his head to explain . Wait would buy his heard Mr. eagle up '
                                  'the ball rose head tom , furiously',
                          'line': 1032},
                         {'evaluation': 3,
                          'loss': '2.565684001239014',
                          'text': 'Spells . Th Wizard sport , though people sking yet . How could be packing , '
                                  'perfect badge . They set themselves . My deen No sooner he needed sleep . Why '
                                  'didnt have been singled out of keys . He had chose . He had turned his mustache '
                                  'missing Ron',
                          'line': 1032},
                         {'evaluation': 4,
                          'loss': '2.19145282631785',
                          'text': 'Spells , said Harry , looking at Uncle Vernon want going over his own house ? '
                                  'He tried to long story about what ned tried to make sure the cat in case neary '
                                  '. I suppose he could be allowed himself with the hall . Got himself with',
                          'line': 1032},
                         {'evaluation': 5,
                          'loss': '1.94084775479446',
                          'text': "Spells , said Malfoy didn't look troublly , anymore near here . This is Poter . "
                                  'But first years , said . The day round had and dashed across the lake like '
                                  'Hermione of the egg , addressed in robes . Arthur Weasley , jumped the Chamber '
                                  'if',
                          'line': 1032},
                         {'evaluation': 6,
                          'loss': '1.6494268455684977',
                          'text': 'Spells Grade 2 . , before Mr. Durely gave me . Madam Makin lost , whispered . '
                                  'He had Hagrid away . The end , his long will have you that no sign overhead '
                                  'blazed midnight-blue , come to a here , the trapdoor the other prefers , though '
                                  'he got',
                          'line': 1032},
                         {'evaluation': 7,
                          'loss': '1.623919606208013',
                          'text': 'Spells of smile had to say put on its Dietary bell on Great Hall , as they four '
                                  'themselves . And they prefer , though he got',
                          'line': 1032},
                         {'evaluation': 8,
                          'loss': '1.4148891107940074',
                          'text': 'Spells encantments , because Wood who straight going to exist . One ter us some '
                                  'amber liquid and it was History of their dormitory door with his long enough to '
                                  'see Slytherin . So what , Dobby had gone ? Hagrid looked quite still coursing '
                                  'silently wherever he',
                          'line': 1032},
                         {'evaluation': 9,
                          'loss': '1.456626176831064',
                          'text': 'Spells . Well , jade - green Sparks flew open at once more words forming a tiny '
                                  'good due from Harry had lost Floo powder and we found it again . Turn near one '
                                  'there wakeing burndes of it was floating away . Said Harry buying a long '
                                  'fingers in',
                          'line': 1032},
                         {'evaluation': 10,
                          'loss': '1.433686256406914',
                          'text': 'Spells Grade Professor McGonagall had no instaking what happened to be chosen '
                                  'at last person . Harry The throw , thank you , Harry and he could have been '
                                  'dead excited to tell us . Have you would be a lifetime this was in the Stoney '
                                  'or two .',
                          'line': 1032}]}}

# Seed 000, Figure 21: the Lightning run's write_better texts (epoch, step, prob as printed; the seed runs
# step and prob together, "633e-10" and "1270.0": read as step 63 / 127 and the rest as prob).
SEED_000_FIGURE_21 = [{'epoch': '0', 'step': '63', 'prob': '3e-10', 'text': 'Spells , Harry was Harry Harry was Harry', 'line': 1527},
 {'epoch': '0', 'step': '63', 'prob': '0.0', 'text': 'Spells . Harry caught He He caught He', 'line': 1528},
 {'epoch': '0',
  'step': '63',
  'prob': '0.0',
  'text': 'Spells . He .. was .. was .. was .. was .. was ..',
  'line': 1529},
 {'epoch': '1',
  'step': '127',
  'prob': '0.0',
  'text': 'Spells . and . Harry the . Harry . Harry . and . Harry the . Harry . and . Harry the . Harry',
  'line': 1530},
 {'epoch': '1',
  'step': '127',
  'prob': '0.0',
  'text': 'Spells . Harry and said Ron . Harry and Harry and Harry and said Ron . Harry and Harry and Harry and '
          'said Ron . Harry',
  'line': 1531},
 {'epoch': '1',
  'step': '127',
  'prob': '0.0',
  'text': 'Spells , but ! Harry Harry and Dont . the , but ! Harry Harry and Dont . the , but ! Harry Harry and '
          'Dont',
  'line': 1532}]

# Seed 001's translation notebooks: each prompt translated by the models saved after these epochs
# (keys: the pair sets here that stand in for its datasets).
SEED_001_TRANSLATIONS = {'nb_nn': [{'epoch': 10,
            'prompt': 'Universet',
            'translation': 'Universetet vart sett i ein av tidlegare hus for Universetet',
            'line': 720},
           {'epoch': 10,
            'prompt': 'En stol.',
            'translation': 'Ein annan stad i byen. Han var ein stad i det regionale byen.',
            'line': 724},
           {'epoch': 10,
            'prompt': 'Boken min er på bordet.',
            'translation': 'Boka er mykje på å sjå på Manchester.',
            'line': 728},
           {'epoch': 10,
            'prompt': 'Jeg liker å sitte på skolen når jeg jobber.',
            'translation': 'Eg prøvde å ha ein god på skulen, men eg held han på ein',
            'line': 732},
           {'epoch': 10,
            'prompt': 'Ved å høre på forelesninger i fysikk ble jeg veldig trøtt.',
            'translation': 'Ved å arbeide på fysikk på fysikk er eg mykje mykje enn det.',
            'line': 736},
           {'epoch': 10,
            'prompt': 'Hvem kan vel unnslippe døden?',
            'translation': 'Det kan vera ut ein måte å sjå ut ut ut når ho kjem ut.',
            'line': 740},
           {'epoch': 10,
            'prompt': 'Norges Miljø- og Biovitenskapelige Universitet',
            'translation': 'Eckhoff brukte eit organisasjon og kulturane som blei sett inn i fengsel og '
                           'klosterdelagd.',
            'line': 743},
           {'epoch': 30,
            'prompt': 'Universet',
            'translation': 'Universet som inkluderer fotstader i Universet Universet Universtaris',
            'line': 748},
           {'epoch': 30,
            'prompt': 'En stol.',
            'translation': 'Den 100re borgmesteren i ein plass i Den statlege plassen.',
            'line': 750},
           {'epoch': 30, 'prompt': 'Boken min er på bordet.', 'translation': 'Boka er på bordet.', 'line': 752},
           {'epoch': 30,
            'prompt': 'Jeg liker å sitte på skolen når jeg jobber.',
            'translation': 'Eg likte å sitjande på skulen når eg jobbar han.',
            'line': 754},
           {'epoch': 30,
            'prompt': 'Ved å høre på forelesninger i fysikk ble jeg veldig trøtt.',
            'translation': 'Ved å høyre høyre senter i fysikk var eg kjent.',
            'line': 756},
           {'epoch': 30,
            'prompt': 'Hvem kan vel unnslippe døden?',
            'translation': 'Styremedlemmar går frå døden?',
            'line': 758},
           {'epoch': 30,
            'prompt': 'Norges Miljø- og Biovitenskapelige Universitet',
            'translation': 'CLpressa og eit lovleg tårn ved vår',
            'line': 760},
           {'epoch': 60,
            'prompt': 'Universet',
            'translation': 'Universetishet er geet som Universet som Universetis',
            'line': 765},
           {'epoch': 60, 'prompt': 'En stol.', 'translation': 'Ein kan bli ein statar i skal handla.', 'line': 767},
           {'epoch': 60,
            'prompt': 'Boken min er på bordet.',
            'translation': 'Boka er oms bordet på bordet.',
            'line': 769},
           {'epoch': 60,
            'prompt': 'Jeg liker å sitte på skolen når jeg jobber.',
            'translation': 'Eg likar å sitja på skulen når eg jobbar.',
            'line': 771},
           {'epoch': 60,
            'prompt': 'Ved å høre på forelesninger i fysikk ble jeg veldig trøtt.',
            'translation': 'Ved å høyre forskning på klinisk forskning vart alle synleg.',
            'line': 773},
           {'epoch': 60,
            'prompt': 'Hvem kan vel unnslippe døden?',
            'translation': 'Det kan ta livet av døden å ta resten av farga.',
            'line': 775},
           {'epoch': 60,
            'prompt': 'Norges Miljø- og Biovitenskapelige Universitet',
            'translation': 'Tour-kontoret og biografier ved New York held seg på',
            'line': 777}],
 'en_nb': [{'epoch': 5, 'prompt': 'Universe.', 'translation': '- Alle sammen.', 'line': 1011},
           {'epoch': 10, 'prompt': 'Universe.', 'translation': '- Jeg er verdens beste.', 'line': 1013},
           {'epoch': 5, 'prompt': 'A chair.', 'translation': 'En stol.', 'line': 1017},
           {'epoch': 10, 'prompt': 'A chair.', 'translation': 'En stol.', 'line': 1019},
           {'epoch': 5, 'prompt': 'My friend.', 'translation': 'Vennen min.', 'line': 1023},
           {'epoch': 10, 'prompt': 'My friend.', 'translation': 'Min venn.', 'line': 1025},
           {'epoch': 5, 'prompt': 'My book is on the table.', 'translation': 'Min bok er på bordet.', 'line': 1029},
           {'epoch': 10,
            'prompt': 'My book is on the table.',
            'translation': 'Min bok ligger på bordet.',
            'line': 1031},
           {'epoch': 5,
            'prompt': 'I like sitting at school when working.',
            'translation': 'Jeg liker å sitte på skolen når jeg jobber.',
            'line': 1035},
           {'epoch': 10,
            'prompt': 'I like sitting at school when working.',
            'translation': 'Jeg liker å sitte på skolen når jeg jobber.',
            'line': 1037},
           {'epoch': 5,
            'prompt': 'Attending physics-lectures made me sleep.',
            'translation': 'Hun gjorde meg til å sove.',
            'line': 1041},
           {'epoch': 10,
            'prompt': 'Attending physics-lectures made me sleep.',
            'translation': '-Jeg fikk meg til å sove.',
            'line': 1043},
           {'epoch': 5,
            'prompt': 'Who could possibly avoid death?',
            'translation': 'Hvem kan unngå døden?',
            'line': 1047},
           {'epoch': 10,
            'prompt': 'Who could possibly avoid death?',
            'translation': 'Hvem kan kanskje unngå døden?',
            'line': 1049},
           {'epoch': 5,
            'prompt': 'Yes, well how do you, as an AI, handle such long inputs as this? Are you able to translate '
                      'them? I have not looked in the dataset thoroughly enough to see wheter there are any long '
                      'pairs.',
            'translation': '- Hvordan kan du oversette dem?',
            'line': 1053},
           {'epoch': 10,
            'prompt': 'Yes, well how do you, as an AI, handle such long inputs as this? Are you able to translate '
                      'them? I have not looked in the dataset thoroughly enough to see wheter there are any long '
                      'pairs.',
            'translation': '- Hvordan har du det?',
            'line': 1055}]}

# Seed 001's generative models trained from scratch: each printed sample, with the checkpoint it was
# drawn from (iterations or epochs, as the notebook names them) and its temperature (None: not printed).
# `uncertain`: the seed prints no header for that text; its checkpoint follows from the loop's order.
SEED_001_SAMPLES = {'quixote_large': [{'checkpoint': 'quixote-large',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote, to which Sancho replied',
                    'text': '"Here is the apple of which I spoke," said Don Quixote,\n'
                            '\n'
                            'to which Sancho replied Don Quixote of bargain." "In death. "Dulcinea," said Sancho, '
                            '"for I will he were so for all month, and liberty under Rocinante, now in this time, '
                            'for a heartfelt Dapple without required (for I was or the duchess, but palm of. There '
                            'is the books that she is no opportunity of hearing the city; and his think that plan '
                            'be seen a good once, that the king and his power to the rinsings, Sancho; where '
                            'enchanted love of its Dulcinea del Toboso.',
                    'line': 1108},
                   {'checkpoint': 'quixote-large',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote, to which Sancho replied',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, to which Sancho replied '
                            'Sancho, "but I am an end of the lady, enemy of the feet, and the peerless Dulcinea '
                            'are all the other, though there will fall and at least may be no urinary out of some '
                            'other, the farmer; and you are her meadow which she has ever told him, as well to '
                            'make up too, of my master had been, I would burn me! For no more must listening to '
                            "dare to the risk, and he said, I am 'Give me about to see her,",
                    'line': 1114},
                   {'checkpoint': 'quixote-large',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote, to which Sancho replied',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, to which Sancho replied Don '
                            'Quixote was to the same time, "I am not only in the ground, or the duke and so '
                            'little, I am, and the sake of the first, and the old and the ground and the first, '
                            'and the others; and the duchess has been made a good for the world, as he was that of '
                            'the one of the others of the world. Don Quixote, I can do not to the time, and his '
                            'master of those who, and the host of the landlord, and',
                    'line': 1118},
                   {'checkpoint': 'quixote-large',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.1,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote, to which Sancho replied',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, to which Sancho replied Don '
                            'Quixote, "I am a good fortune, and I have been a man, and I have been a great and I '
                            'have been a great and I have been a good, and I have been a man of the same time to '
                            'be a little, and I have been a great and I have been a little to the same time to be '
                            'a good, and I have been a knight, and I have been a good as I am a great and I have '
                            'been a man of the world.',
                    'line': 1122}],
 'quixote_small': [{'checkpoint': '2000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "is it rare and pat to the '
                            'purpose that you would gladly feel something to eat and labour to judge\'s pledge.\'" '
                            '"At any rate," observed Sancho, "and I might tell you more time without waiting for '
                            'quarrel, as far from your worship is next to be marjoram and neither got up." "Now I, '
                            'señora," said the price, "for you value on a heap of me." "I do not know not tell '
                            'you, Sancho," said the curate, "that you had not',
                    'line': 1187},
                   {'checkpoint': '3000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "for I entreat you to call '
                            'you your enemy to allow the expression of my own person in high degree, though I have '
                            'a respect as my taste and at least to retain me, and support myself for even and even '
                            'were it been the privilege of beauty to be breast without showing myself in the '
                            'chaste fidelity of beauty;" and with great rage he began to weep bitterly, and with a '
                            'heavy penalties upon them, that was prevented them from falling to arm and to fly. '
                            'The duke came with a couple',
                    'line': 1189},
                   {'checkpoint': '4000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "and I should not give crumbs '
                            'to a cat, my wits are so confused and upset." With this permission Sancho said to the '
                            'peasants who stood clustered round him, waiting with open mouths for the decision to '
                            'come from his, "Brothers, what the fat man requires is not in reason, nor has it a '
                            'shadow of justice in it; because, as they say, if it be true, that the challenged may '
                            'choose the weapons, the other has no right to choose such as will prevent and keep',
                    'line': 1191},
                   {'checkpoint': '5000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "and I cannot call this '
                            "service to you, no one or mine ever so great or divine as to be brought before God's "
                            'will." "I am afraid of," said Sancho, "but your worship will let me eat this evening '
                            'or a cudgel, and not a squire\'s curse." Don Quixote was listening to all such good '
                            'subjects, he took the cloth upon Sancho to carry on his heart as to his master; and '
                            'so much to carry out the scrutiny he had made of them, and of',
                    'line': 1193},
                   {'checkpoint': '2000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "for those knocks on the head '
                            'has been said, that you would not be valid, and even though it excited in a rich '
                            'farmer to rise to each way, he resolved to go looking for someone to-day. Your '
                            'servant was astonished to see whether the Knight of the Rueful Countenance, so loud '
                            'that when he heard him speak from his knees and not a message from Montesinos, which '
                            "the duke's letter achieved, if so rationally that the duke and duchess were to hear "
                            'them. Among the duke and duchess',
                    'line': 1197},
                   {'checkpoint': '3000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "and I\n'
                            '\n'
                            'should not give infinite mercy of my eye, and the injury has been done to you;" and '
                            'so saying he began to move from that position, and that time he might have been weary '
                            'with the oath he had sworn falsely, and by the same law he swore to die on that he '
                            'should return; and by the faith of what offences he was going to such a sorry '
                            'business. He made right mind to know what Tom Cecial?" "How now, Sancho," answered '
                            'Don Quixote; "',
                    'line': 1199},
                   {'checkpoint': '4000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "for no one of the eye, and I '
                            "he won't give any pleasure in more favourable answer from the lady Dulcinea del "
                            'Toboso, for it is to me of the way of endeavouring to become an emperor, or at least '
                            'a monarch; for it had been so settled between them, and with his personal worth and '
                            'the might of his arm it was an easy matter to come to be one: and how on becoming one '
                            'his lord was to make a marriage for him (for he would be a widower',
                    'line': 1203},
                   {'checkpoint': '5000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "and I cannot call myself '
                            "fifth (which may be included in the end of your guest's defence of my honour. To "
                            'these five, as it were capital causes, there may be added some others that may be '
                            'just and reasonable, and make it a duty to take up arms; but to take them up for '
                            'trifles and things to laugh at and be amused by rather than offended, looks as though '
                            'he who did so was altogether wanting in common sense. Moreover, to take an unjust '
                            'revenge (and',
                    'line': 1205},
                   {'checkpoint': '2000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "if thou wilt not give it to '
                            'me a beard of my poor, for I am not fit to give thee a punch that will leave my fist '
                            'sunk in his skull; for cirimonies and soapings of this sort are more like jokes than '
                            'the polite attentions of one\'s host." As soon as he was ready to die with his '
                            'laughter; but Don Quixote to die with his laughter at his stirrups and pressed his '
                            'morion; but, as has been said, he came out to him a couple of slaps on',
                    'line': 1209},
                   {'checkpoint': '3000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "and I entreat you to go to '
                            'rest assured that you are knights-errant to return to El Toboso and rest assured that '
                            'he cannot lie closer in this castle; and if I am willing to condemn myself in '
                            'however, let it pass over for this bed in costs little more than putting it over '
                            'minute." He approved of what Sancho proposed, and resolved to wait for him very '
                            'anxious to follow him until he brought back. Sancho pushed on into the glens of the '
                            'Sierra, leaving them in one through which there',
                    'line': 1211},
                   {'checkpoint': '4000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "and I entreat you to open '
                            "your eyes, for I shall not be able to make a moment in the apple of your highness's "
                            "eye, and I'd as soon stab myself as consent to it; for though my master says that in "
                            'civilities it is better to lose by a card too many than a card too few, when it comes '
                            'to civilities to asses we must mind what we are about and keep within due bounds." '
                            '"Take him to your government, Sancho," said the duchess, "and',
                    'line': 1213},
                   {'checkpoint': '5000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote, "for no one of my eye, and I '
                            'cannot call it; but though in truth to be told, I ought not to be censured. The first '
                            'is some words that I have read in the preface; the next that the language is '
                            'Aragonese, for sometimes he writes without articles;\n'
                            '\n'
                            'and the third, which above all stamps him as ignorant, is that he goes wrong and '
                            'departs from the truth in the most important part of the history, for here he says '
                            "that my squire Sancho Panza's wife is",
                    'line': 1215},
                   {'checkpoint': '2000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." To which the duke made no answer, opening '
                            'him in a strain he was making a very reverse of a person of rank. They called to him, '
                            'and asked the curate if he had told them all to be stripped Sancho, he found a '
                            'question by breaking his mercies he listened to even if they had received of Clara." '
                            'On hearing these words received her of her face hastily and ran thus: "Ill luck '
                            'betide thee, I swear heartily and compassion for thee, Sancho!" said Don Quixote, '
                            '"Worthy',
                    'line': 1223},
                   {'checkpoint': '3000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "What are you perchance?" said Don '
                            'Quixote. "What, being entirely," replied Sancho, "your worship is to blame for you '
                            'left buried (for I never saw a head of it), and went back to the ass was not very '
                            'fond of him, as he can be always natural and proper to know when he calls himself, '
                            'protects and prizes a famous castle of famous as you are caught in the noose of '
                            'fineness, it is one of envy itself, and the twelve more exposed himself to the',
                    'line': 1225},
                   {'checkpoint': '4000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." With this the words Don Quixote turned his '
                            'pike to Sancho and said to him, "It is my belief, señor, that I suppose the ass was '
                            'born to be found me take a tavern, and not on the grandest occasion the past or '
                            'present has seen, or the future can hope to see. If my wounds have no beauty to the '
                            "beholder's eye, they are, at least, honourable in the estimation of those who know "
                            'where they were received; for the soldier shows to greater advantage dead in',
                    'line': 1227},
                   {'checkpoint': '5000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 1.0,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." With this permission Sancho made him, and '
                            'he pacified his master and urging him earnestly to accompany him. The bachelor, to '
                            'accompany him, and they at having ordered him to accompany him whither Don Quixote, '
                            'took him; and their departure, Sancho afterwards answered very much the reply, Don '
                            "Quixote asked the servants who were all earnestly and in the Moorish lady's father's "
                            'house, as they were not a Christian gentleman who had been seen by this time. '
                            '"Anything else, Christian, I might hope for or',
                    'line': 1229},
                   {'checkpoint': '2000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "And yet, mother," said Don Quixote, "and '
                            'I do not mean to be able to do any squire that has carried him away from some '
                            'oak-galls show; for the peerless Clavileño the pair of those that direct male and not '
                            'very gravely and solemnly as solemnly as fair lady, "Worthy duenna, only enjoin hand '
                            'ye cannibals;" and not open your feet to her hands, but only open your eyes? But I '
                            'will only so hold your mouth, shall only open your eyes and let her all',
                    'line': 1233},
                   {'checkpoint': '3000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "Well, sirs," said Don Quixote, "but you '
                            'see how worthy folk have never brought you to this minute, for if they did not open a '
                            'lips or even-but never mind-it only thing it occurs to me\n'
                            '\n'
                            'that I say when they say of the blow of the stone." "I swear to thee!" said Sancho '
                            'Panza. "that now seated on the pack-saddle softer than a tie it to a tree, and with a '
                            'couple of dozen carobs and as many more filberts and walnuts; thanks',
                    'line': 1235},
                   {'checkpoint': '4000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "That is the true," said Don Quixote; "say '
                            'what thou wilt, only say, then?" "Well, here I have another mole on the middle of '
                            'your backbone, which is the mark of a strong man." "That is enough," said Sancho; '
                            '"for with friends we must not look too closely into trifles; and whether it be on the '
                            'shoulder or on the backbone matters little; it is enough if there is a mole, be it '
                            'where it may, for it is all the',
                    'line': 1239},
                   {'checkpoint': '5000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.8,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." Hereupon, smiling slightly, Don Quixote '
                            'exclaimed, "Lion-whelps to me! to me whelps of lions, and at such a time! Then, by '
                            'God! those gentlemen who send them here shall see if I am a man to be frightened by '
                            'lions. Get down, my good fellow, and as you are the keeper open the cages, and turn '
                            'me out those beasts, and in the midst of this plain I will let them know who Don '
                            'Quixote of La Mancha is, in spite and in the',
                    'line': 1241},
                   {'checkpoint': '2000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "There is a bad Christian," said Don '
                            'Quixote; "for if the name of my name is nothing of the proverb that says \'what '
                            "difference between my lord,' and 'the Pope, for though he is not a woman like a "
                            "countess, but a woman's daughter does not look for her a wife; and 'he who knows that "
                            "'the 'the fool knows her?' 'he who has the mother,' applies. Thou, thou, to my "
                            'thinking, art venturing to it, to it',
                    'line': 1245},
                   {'checkpoint': '3000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "That I have already said on my part," '
                            'said the duke, "but you see how worthy gentleman is a very fat man, and he who is a '
                            'married with a lining to match, and I know not what trimmings of impertinence and '
                            'roguery? Who asked thee to meddle in my affairs, or to inquire whether I am a wise '
                            'man or a blockhead? Hold thy peace; saddle Rocinante if he be unsaddled; and let us '
                            'go to put my offer into execution; for with the right that I',
                    'line': 1247},
                   {'checkpoint': '4000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." The lion has a close at last moment, as he '
                            'was about to answer a word, not which was his companion carried upon him, but as he '
                            'did not dare to suggest to him, fearing that he would not consent to do so; not '
                            'because he did not know perfectly well the rank, goodness, virtue, and beauty of '
                            'Luscinda, and that she had qualities that would do honour to any family in Spain, but '
                            'because I was aware that he did not wish me to marry so soon, before',
                    'line': 1249},
                   {'checkpoint': '5000',
                    'checkpoint_unit': 'iterations',
                    'temperature': 0.5,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." With this, at last words Don Quixote, '
                            'proceeded to say to him, "In the height of misadventure, is to fall in with you who '
                            'would have been sure to take these adventures; so that, when he is a man who has '
                            'something in his senses, has turned into a piece of bread and cheese; and seeing what '
                            'my lady Dulcinea says, what my belief is that he would turn and feel the risk of '
                            'death for another thou hast been going about in the depths of thy thoughts." "',
                    'line': 1251}],
 'next_sentence': [{'checkpoint': '10',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote,\n'
                            '"I have been said Sancho," said Don Quixote; "for I have been a good as I have\n'
                            'been a man of the world."',
                    'line': 1313},
                   {'checkpoint': '15',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote,\n'
                            '"I am not," said Don Quixote, "for I am not to be so much as to be, and I am not\n'
                            'to be so much as to be so much as to be, and that I am not to be so that I am\n'
                            'not to be so much as to be so much as to be so, and that I am not to be so much\n'
                            'as to be, and that I am not to be so much as to be so much as to be so much as\n'
                            'to be in the world."',
                    'line': 1318},
                   {'checkpoint': '20',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote,\n'
                            '"I am not to know," said Sancho, "for I am not to be so much to be so much to be\n'
                            'so that I am not to do so much to be so much to be so much to be so that I have\n'
                            'been so much to be so that I have been so much to be so much to the world."',
                    'line': 1325},
                   {'checkpoint': '25',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote,\n'
                            '"I will be well to know that," said Sancho, "for I have no more than to be."',
                    'line': 1330},
                   {'checkpoint': '30',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote,\n'
                            '"I don\'t know what it," said Sancho, "for I am not to know that it is no more\n'
                            'than the world."',
                    'line': 1333},
                   {'checkpoint': '40',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"Here is the apple of which I spoke," said Don Quixote,',
                    'text': '"Here is the apple of which I spoke," said Don Quixote,\n'
                            '"I will do so," said Sancho, "for I am a knight-errant in him, and so much so\n'
                            'much so that I am a knight."',
                    'line': 1337},
                   {'checkpoint': '10',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "I have been\n'
                            'said Sancho," said Don Quixote; "for I have been a good as I have been a man of\n'
                            'the world."',
                    'line': 1341},
                   {'checkpoint': '15',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "I am not to\n'
                            'be," said Don Quixote, "for I am not to be a man of the world; for I am not to\n'
                            'be a man of the world; and I am not to be a man, and I am not to be a man of the\n'
                            'world; and I am not to be a man of the world; and I am not to be in the world;\n'
                            'and I am not to be a man of the world."',
                    'line': 1345},
                   {'checkpoint': '20',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "I am not a\n'
                            'good fellow," said Don Quixote; "for I am not a good luck to be a thousand\n'
                            'times; for I am not to be a good-will, and a great deal of the world; but if I\n'
                            'am not to be a thousand times; for I am not to be a thousand times; for I am not\n'
                            'to be a good fortune; for I am not to be a great deal with a thousand times, and\n'
                            'so much as I am a great deal of the world; for I am not to be a thousand times;\n'
                            'for I am not to be a good fortune to be a thousand times; and if I am not to be\n'
                            'a great deal with a thousand years of the world; for I am not to be a great deal\n'
                            'of the world; for I am not to be a good as I am not to be a knight-errant."',
                    'line': 1351},
                   {'checkpoint': '25',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." "I have no\n'
                            'more than a thing," said Don Quixote; "for I have been a good thing to be in the\n'
                            'world."',
                    'line': 1361},
                   {'checkpoint': '30',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." The duke and\n'
                            'duchess, the duchess, and the duchess said to Don Quixote, "I have been no more\n'
                            'than to say; for I am not to know what I am not to say, I am not to say what I\n'
                            'am not to say that the truth is the world; but if I am not the truth of the\n'
                            'truth, I am not so much to be so much as to be, and I am not to know what I am\n'
                            'not to say that I am not to be so much more than that I am not to say that I am\n'
                            'not to say anything more than the world."',
                    'line': 1365},
                   {'checkpoint': '40',
                    'checkpoint_unit': 'epochs',
                    'temperature': None,
                    'prompt': '"My name is Hallvard, and I\'m a student."',
                    'text': '"My name is Hallvard, and I\'m a student." The duke, the\n'
                            'duke, and Don Quixote was not so much of the story, but that the truth was the\n'
                            '\n'
                            "same time, as he was the duke's, and the duke's son.",
                    'line': 1373}],
 'kafka': [{'checkpoint': '50',
            'checkpoint_unit': 'epochs',
            'temperature': None,
            'prompt': "I'm sorry, I didn't catch your name.",
            'text': "WARDEN: But I'm so much.",
            'line': 1434},
           {'checkpoint': '50',
            'checkpoint_unit': 'epochs',
            'temperature': None,
            'prompt': "My name is Hallvard, and I'm a student.",
            'text': 'But you would have a time for you and put it down to me, and I let you find nothing better '
                    'than you.',
            'line': 1438},
           {'checkpoint': '50',
            'checkpoint_unit': 'epochs',
            'temperature': None,
            'prompt': 'Where the hell are you?',
            'text': "He's the boy, you can see him.",
            'line': 1442},
           {'checkpoint': '50',
            'checkpoint_unit': 'epochs',
            'temperature': None,
            'prompt': "In fact, I'm not sure I'm even awake.",
            'text': "No, I'm so good as I'm not quite an effort, but I'm not so tired.",
            'line': 1446},
           {'checkpoint': '50',
            'checkpoint_unit': 'epochs',
            'temperature': None,
            'prompt': 'KAFKA KAFKA KAFKA KAFKAESQUE',
            'text': 'But on the other hand he could not fall moved with much care and eat he could not fall into '
                    'the very edge of the crisis.',
            'line': 1450}],
 'bible': [{'checkpoint': '90',
            'checkpoint_unit': 'epochs',
            'temperature': 1.0,
            'prompt': 'He who is without sin can kill anyone he pleases.',
            'text': 'If you are on them, then it is made any of him. So then you are on foot with the way of '
                    'blood, and shall be clean. "He shall teach your sins? If a fool! He is evil, that they know '
                    "what didn't know? If he doesn't do no rest, that there is a man? Even there is no breath in "
                    'the righteous. As for he will raise up a righteous, and he will not do. He will see the '
                    'wicked, and will know, he will be no man according to the head of all of the peoples. For he '
                    'shall be shut together, but he will remain in the eyes of a man, That which he will judge? He '
                    "will pay, he won't be.",
            'line': 1514},
           {'checkpoint': '120',
            'checkpoint_unit': 'epochs',
            'temperature': 1.0,
            'prompt': 'He who is without sin can kill anyone he pleases.',
            'text': '"His years will be killed in the land of the earth, from the earth and the womb. You turn '
                    'aside to the night, and saying, "It is in the day of the night?" He said, "Behold, I, I have '
                    "brought back from the darkness! I know that everyone says, 'I am blameless,' and he who "
                    'lives;\' when he is, and he doesn\'t know that he knows the truth? I am the light." As he '
                    'says, "He is right in the day that day where doesn\'t sin." He said, "Your sins are written, '
                    '"Many man from the righteous. "If a man doesn\'t know, then he sins, then the righteous know '
                    'it is he makes the righteous',
            'line': 1516},
           {'checkpoint': '300',
            'checkpoint_unit': 'epochs',
            'temperature': 1.0,
            'prompt': 'He who is without sin can kill anyone he pleases.',
            'text': 'He said to him, "What have you do you see?" Washmegreeches through the body are written in '
                    "the book which comes to the mouth. For the lips of the law, 'Our hands to consider it before "
                    "a liar. How do you see you see and you will not be seen! If you are righteous;' and as he "
                    "does he goes up early in his wrath, he doesn't know it afar off, and will confess with you. "
                    'If he doesn\'t know that the Son of God will give him power to the wicked." Nevertheless he '
                    'will be said, "It is not as you do; but he says Yahweh, "I will not see the righteous. As he '
                    'lives forever who follows after innocent blood,',
            'line': 1518}],
 'lyrics': [{'checkpoint': '100',
             'checkpoint_unit': 'epochs',
             'temperature': 1.0,
             'prompt': 'Hilbilly cowboy by Ulf G. Indahl',
             'text': 'Come got me on, come on\nCome on, come on, come on',
             'line': 1582},
            {'checkpoint': '200',
             'checkpoint_unit': 'epochs',
             'temperature': 1.0,
             'prompt': 'Hilbilly cowboy by Ulf G. Indahl',
             'text': 'One, one, one, one, one',
             'line': 1587,
             'uncertain': "no 'Epoch 200:' header printed; assigned by loop order"},
            {'checkpoint': '100',
             'checkpoint_unit': 'epochs',
             'temperature': 1.0,
             'prompt': 'Walking in the street by Kristian H. Liland',
             'text': 'If the sky is my stand\n'
                     'Oh, stand by me\n'
                     "I won't be my stand by me\n"
                     'Stand by me by me by me\n'
                     '\n'
                     'Fill my stand by me\n'
                     'Stand by me by me\n'
                     'stand by me, stand by me stand by me\n'
                     'Stand by me by me by me by me by me\n'
                     "I won't tell by stand by stand by now\n"
                     "I won't stand by now\n"
                     'My stand by stand by me\n'
                     'My stand by me break is the stand by me\n'
                     'See the stand',
             'line': 1593},
            {'checkpoint': '200',
             'checkpoint_unit': 'epochs',
             'temperature': 1.0,
             'prompt': 'Walking in the street by Kristian H. Liland',
             'text': 'Motorcars\n'
                     'Handlebars Bicycles for two\n'
                     'Parachutes Army boots, you know\n'
                     'Barly-r Army boots\n'
                     'Parachutes Arie play me\n'
                     "Nota's, let mein\n"
                     'Sleeping in a jiggicy king, let me be\n'
                     "AlPoppin' out of mind, let me\n"
                     'I think I could probably\n'
                     'diamond Bali-coldenscar for two\n'
                     'I knew Iradorsely\n'
                     'Numble shots, might let me\n'
                     'Eyot forget it\n'
                     "I knew you'd let me down the truth\n"
                     'Uberg? Notine moan, but you gob',
             'line': 1610}]}

# Seed 001's fine-tuned models: the text printed for each epoch's checkpoint (keys: the runs here that
# stand in: shakespeare for Don Quixote, milton for Kafka, bible, lyrics). Every one is the seed's beam search
# (generate with num_beams=5, no_repeat_ngram_size=2; its temperature=1.0 has no effect without sampling);
# the lyrics texts are printed after the seed removes '<pad> ' and inserts commas and line breaks.
SEED_001_FINETUNE_TEXTS = {'shakespeare': [{'epoch': 1,
                  'checkpoint': 'checkpoint-261',
                  'prompt': 'Here is the apple of which I spoke,',
                  'text': 'Here is the apple of which I spoke," said Don Quixote, "and it is a very good one, for '
                          'I have seen it before, and I know it well enough to know how to make it; but let me '
                          "tell you, Sancho, that if it were not for your worship's good fortune, it would not "
                          'have been possible for me to have made it. I mean to say, sirs, to all who are in the '
                          'habit of making',
                  'line': 2027},
                 {'epoch': 1,
                  'checkpoint': 'checkpoint-261',
                  'prompt': 'I will kill you!',
                  'text': 'I will kill you!" said Don Quixote, "for I know not what to do with your worship\'s '
                          'life; but if it were not for me, I should have killed you, and I would have done so, '
                          'for it is my duty to take care of your honour and honour as well as I can; and if I had '
                          'not done it, it would not have been possible for you to have known that I was going to '
                          'kill myself; for I am',
                  'line': 2033},
                 {'epoch': 2,
                  'checkpoint': 'checkpoint-522',
                  'prompt': 'Here is the apple of which I spoke,',
                  'text': 'Here is the apple of which I spoke," said Don Quixote, "for it is a very good one, and '
                          'one of the finest I have ever seen; and if it were not for the fact that I am a man of '
                          'letters, I should not be able to read it, for I know not what to do with it; but I can '
                          'tell you, señor governor, that if I had read the letter, it would not have been so bad '
                          'as to',
                  'line': 2041},
                 {'epoch': 2,
                  'checkpoint': 'checkpoint-522',
                  'prompt': 'I will kill you!',
                  'text': 'I will kill you!" said Don Quixote, "for I am not a knight-errant, nor am I a squire; '
                          'but I will not let you kill me, for I do not know what to do with my life; for, as I '
                          'have said before, it is my duty to protect you, and if you are to die, I shall not '
                          'allow it to happen to me; and that is the reason why I say that if your worship does '
                          'not',
                  'line': 2047},
                 {'epoch': 3,
                  'checkpoint': 'checkpoint-783',
                  'prompt': 'Here is the apple of which I spoke,',
                  'text': 'Here is the apple of which I spoke," said Don Quixote, "and it is a very\n'
                          '\n'
                          'good one, for I have seen it before, and I know it well enough to know how to make it; '
                          'but let me tell you, señor governor, that I am not a man of letters, nor am I a '
                          'knight-errant; and if I were, I would have you know that there is no knight in the '
                          'world who is not in love with',
                  'line': 2055},
                 {'epoch': 3,
                  'checkpoint': 'checkpoint-783',
                  'prompt': 'I will kill you!',
                  'text': 'I will kill you!" said Don Quixote, "for I am not a knight-errant, nor am I a man of '
                          'letters, but a Christian, and I have a wife and children of my own; and if I die, I '
                          'shall be buried in the same grave as my father, who was a great Christian and a good '
                          'Christian; for he was one of the greatest Christians in all the world; but I know not '
                          'what to do with him, for I',
                  'line': 2063},
                 {'epoch': 4,
                  'checkpoint': 'checkpoint-1044',
                  'prompt': 'Here is the apple of which I spoke,',
                  'text': 'Here is the apple of which I spoke," said Don Quixote, "and it is a very good one, for '
                          'it contains the fruit of two pearls, one of the finest in the world, and the other of '
                          'gold, which is very rare and precious; and I have heard say, too, that if it were not '
                          'for the gold it would not have been worth more than two hundred crowns; but I am not so '
                          'sure as to believe it; for I',
                  'line': 2071},
                 {'epoch': 4,
                  'checkpoint': 'checkpoint-1044',
                  'prompt': 'I will kill you!',
                  'text': 'I will kill you!" said Don Quixote, "for I am not a knight-errant, nor am I a man of '
                          'letters; but if I were, I would have killed you, and if not, you would not have been '
                          'able to tell me who you were; for if you had told me, as I do now, that I was a madman, '
                          'it would be enough for me to have taken you out of your senses and put you in a cage',
                  'line': 2077}],
 'milton': [{'epoch': 1,
             'checkpoint': 'checkpoint-117',
             'prompt': "My name is Hallvard, and I'm a student.",
             'text': "My name is Hallvard, and I'm a student. I've been studying for a long time, but I can't "
                     'remember the last time I was in school. My father, who was a teacher at the school, said to '
                     "me: 'You're a good student, you've got a lot of work to\n"
                     '\n'
                     "do.' And I said, 'No, I don't want to go to school at all.' But he said: 'You'll be fine. "
                     "You'll have a great time",
             'line': 2122},
            {'epoch': 1,
             'checkpoint': 'checkpoint-117',
             'prompt': 'Where the hell are you?',
             'text': "Where the hell are you? I'm not going to lie to you, I don't know what you're talking about, "
                     "but I've got to tell you something. You're the only one who's got any idea of what's going "
                     'on in the world, and that\'s why I can\'t help it." "You\'re right," said the man, "I\'m '
                     "sorry, it's not my fault. I didn't mean to offend you. It's just that you've always been so",
             'line': 2130},
            {'epoch': 2,
             'checkpoint': 'checkpoint-234',
             'prompt': "My name is Hallvard, and I'm a student.",
             'text': "My name is Hallvard, and I'm a student. My father is a doctor, my mother is an artist. I've "
                     "always wanted to be a violinist, but I don't know how to do it, I can't even play the "
                     'violin. So I have to make my own way." "You\'re right," said the teacher, "I\'m not going to '
                     "let you down. You've got to get out of my way, you know that. But if you want to go",
             'line': 2138},
            {'epoch': 2,
             'checkpoint': 'checkpoint-234',
             'prompt': 'Where the hell are you?',
             'text': 'Where the hell are you? I don\'t know what you\'re talking about, but I can\'t help it." '
                     '"You\'re right," I said. "I\'m sorry," he said, "but I\'m not going to tell you anything. '
                     "I've got to go, I'll go. You're a good man, you know that. And you'll be glad to hear me "
                     "out. But you mustn't be afraid of me. Don't worry about it. Just let me go",
             'line': 2144},
            {'epoch': 3,
             'checkpoint': 'checkpoint-351',
             'prompt': "My name is Hallvard, and I'm a student.",
             'text': "My name is Hallvard, and I'm a student. My father is a doctor, my mother is an artist. I was "
                     'born in a small village in the south of the country, where I grew up. In my youth I had a '
                     'great deal of trouble with my parents, but they were very kind and kind to me. They taught '
                     'me everything I needed to know about medicine, science, history, philosophy, art, music, '
                     "architecture, medicine and so on. But I didn't know",
             'line': 2152},
            {'epoch': 3,
             'checkpoint': 'checkpoint-351',
             'prompt': 'Where the hell are you?',
             'text': 'Where the hell are you? What\'s going to happen to you?" "I don\'t know," said Blumfeld, '
                     '"but I can\'t help it. I\'ve got to get out of here." "Well, you\'re not going anywhere, '
                     "I'm afraid, but you'll have to go somewhere else. Don't\n"
                     '\n'
                     "worry about it, it's only a matter of time before you find yourself in a cage.\n"
                     "And if you do that, there's no need for me to tell you",
             'line': 2158},
            {'epoch': 4,
             'checkpoint': 'checkpoint-468',
             'prompt': "My name is Hallvard, and I'm a student.",
             'text': "My name is Hallvard, and I'm a student. I was born in the town of Blumfeld, where I grew up. "
                     'My father was a doctor, my mother was an artist, but my father died when he was thirty years '
                     'old, so I have no memory of him. But I remember him very well. He was one of the most '
                     'beautiful people I ever met, he had a beautiful face, his hair was long and his eyes were '
                     'full of tears. When I met him',
             'line': 2169},
            {'epoch': 4,
             'checkpoint': 'checkpoint-468',
             'prompt': 'Where the hell are you?',
             'text': 'Where the hell are you? I don\'t know what you\'re up to, but I can\'t help it." "I\'m '
                     'sorry, sir," said the officer, "but I\'m not going to tell you anything. I\'ve got to go, '
                     'I\'ll go with you." The officer went on to say: "You\'re the only one who can tell me '
                     "what's going on here, and that's what I want to ask you. You've been here for a long time, "
                     'you',
             'line': 2175}],
 'bible': [{'epoch': 1,
            'checkpoint': 'checkpoint-491',
            'prompt': 'The meaning of life is this:',
            'text': 'The meaning of life is this: "You shall not die, but you shall live. You shall know that I am '
                    'Yahweh your God, the God of your fathers, who has given you life, that you may live in the '
                    'land which I have given to you, and to the children of Israel. I will give you a land in '
                    'which you will live, even as you have lived in it. The land will be your inheritance '
                    'forevermore. It will not be taken away from you; neither will it be given away to anyone who '
                    'doesn\'t possess it." The word of God came to Moses and Aaron, saying, "Speak to them, '
                    "brothers, concerning this matter. Behold, they will say, 'This is the law of Moses, which he "
                    'commanded us to do.\'" Moses said to all the men of the house of Jacob, to whom he spoke this '
                    'commandment, "\'This land is mine. This is my covenant with you. Don\'t be afraid, for',
            'line': 2260},
           {'epoch': 1,
            'checkpoint': 'checkpoint-491',
            'prompt': 'Go to Heaven for the climate, Hell for the company.',
            'text': 'Go to Heaven for the climate, Hell for the company. You shall go to the land of the living '
                    'God, and you shall dwell in it forevermore. "You shall not go out of your house, neither '
                    'shall you enter into the house of Yahweh your God; for he is the God of all the nations. He '
                    'has made you a refuge from all evil, that you may be able to live in the midst of him. For he '
                    'has given you dominion over all that is evil in his sight, even to this day. But now, behold, '
                    'I have come to you, you and your children, from the day that I came into this land. I will '
                    "make you an everlasting covenant with the children of Israel, saying, 'Behold, my covenant is "
                    "with you;' and 'I will bless you in all your ways, in every kind of work you have done.' "
                    '"Now therefore, brothers, don\'t be afraid, for I am the Lord, who will',
            'line': 2266},
           {'epoch': 1,
            'checkpoint': 'checkpoint-491',
            'prompt': 'Only the free of sin can freely kill whomever he wants.',
            'text': 'Only the free of sin can freely kill whomever he wants. But if a man has sinned against God, '
                    "he can't kill him. If he has committed adultery with another man, and he doesn't repent, then "
                    "he is guilty of the sin of his own sin, even if he didn't sin with the man who committed the "
                    'adultery. It is better for him to repent than to commit adultery, because he knows that his '
                    'sin will be forgiven him in the day that he confesses it. "If a woman has been sexually '
                    'immoral in her own life, she can not be saved from the wrath of God; but if she has done so\n'
                    '\n'
                    "in a way that is contrary to God's will, it is a sin for her to do that which is wrong in "
                    'that life. For if the woman had not done that, God would not have forgiven her, but he would '
                    'have given her the grace of repentance, that she might repent of her sin." But the Lord said '
                    'to Moses,',
            'line': 2272},
           {'epoch': 3,
            'checkpoint': 'checkpoint-1473',
            'prompt': 'The meaning of life is this:',
            'text': 'The meaning of life is this: you shall not die, neither shall you be put to death. You shall '
                    'live according to the word of Yahweh your God which he spoke to Moses and to Aaron, saying, '
                    "'Behold, I will bring you out of the land of Egypt, that you may dwell among the children of "
                    'Israel, and they may eat of your flesh. They shall be my people, even as I am their God.\'" '
                    'Moses said to his sons, "Speak to your brothers the words which I have spoken to you this '
                    'day." Moses spoke these words to all the people who were with him in the wilderness of '
                    'Ephraim. The sons of Aaron did as Moses commanded them: they ate of their flesh, but they '
                    "didn't drink of it. Moses went out to meet them. When he saw them, he bowed himself down "
                    'before them; and he looked at them with his face to heaven. He saw that they were dead, '
                    'because they had not eaten',
            'line': 2282},
           {'epoch': 3,
            'checkpoint': 'checkpoint-1473',
            'prompt': 'Go to Heaven for the climate, Hell for the company.',
            'text': 'Go to Heaven for the climate, Hell for the company. For I am the Christ, the Son of God, who '
                    'will bring you out of the land of Egypt, and will save you from the hand of those who oppress '
                    'you." Jesus said to them, "I tell you, if you don\'t listen to me, you will be cut off from '
                    'among the nations. You will not be able to enter into the Kingdom of Heaven, because you have '
                    'not listened to the voice of my Father who sent me." The disciples therefore went out to meet '
                    'him. When they saw him, they were afraid, for he was a Galilean. But when they had come to '
                    'Jesus, he asked them what they should do. They told him the things that were spoken by the '
                    'prophets and the apostles, that they might be saved. Jesus answered them in the name of Jesus '
                    'Christ. Now when he had finished speaking these things, his disciples came to him and asked '
                    'him what he should say. He said,',
            'line': 2288},
           {'epoch': 3,
            'checkpoint': 'checkpoint-1473',
            'prompt': 'Only the free of sin can freely kill whomever he wants.',
            'text': 'Only the free of sin can freely kill whomever he wants. But if he has sinned against the law, '
                    "he can't be saved. If he doesn't sin against God, then he is not saved; but he who sins "
                    'against him is justified. "If a man commits adultery with his wife, and her husband commits '
                    'sexual immorality with her, that man is guilty of the sin of his own free will, because he '
                    "didn't do it in the first place. For if the man has done the same thing to the woman, but she "
                    'has not done it to him, it is a sin for him to do that which is evil in his eyes, to commit '
                    "adultery, or to have sexual relations with another man's wife. The same\n"
                    '\n'
                    'is the case with a woman who has no husband, neither does she have a husband who is free from '
                    'sin. He who divorces her has the right to divorce her. However, if she marries someone else, '
                    'she is no longer',
            'line': 2294},
           {'epoch': 5,
            'checkpoint': 'checkpoint-2455',
            'prompt': 'The meaning of life is this:',
            'text': 'The meaning of life is this: "You shall not die, neither shall you be put to death; for '
                    'Yahweh your God is with you, and he will bring you out of the land of Egypt. You shall live '
                    'in your own land, as you have lived in all your generations, until the day that you come to '
                    'this place, when you shall eat and drink and be merry." The word that came to Jeremiah the '
                    'prophet, saying, "Behold, I have spoken it to you in the ears of all the inhabitants of this '
                    "land; and they shall say, 'This is the word which I tell you concerning the children of "
                    "Israel, that they should not go up into Egypt;' and I will cause them to return to their own "
                    "country, to dwell there, even as they did in their fathers' land. They shall be as the sheep "
                    "that were before their father's land: they will be like the flock that was before the house "
                    "of their mother's house, which",
            'line': 2304},
           {'epoch': 5,
            'checkpoint': 'checkpoint-2455',
            'prompt': 'Go to Heaven for the climate, Hell for the company.',
            'text': 'Go to Heaven for the climate, Hell for the company. For I will give thanks to Yahweh, the God '
                    "of my fathers, and to him who sent me, saying, 'Behold, I am with you in the midst of you; "
                    'and you shall be my people.\' "Now therefore, brothers, don\'t be afraid, neither be '
                    'dismayed, nor be disappointed; for I have sent you out of the land of Egypt, that you may '
                    'dwell in it. You shall go up to the mountain of David your father, which is on the east side '
                    'of Jerusalem, to meet him. He shall tell you that he has come to you from the mountains of '
                    'Judah. "You shall come down from there, you and your people, into the wilderness of Ephraim, '
                    'where there is no water. There you will find a man who is a prophet, who prophesies against '
                    'the house of Israel. When he comes, he shall speak against them. They shall say,',
            'line': 2310},
           {'epoch': 5,
            'checkpoint': 'checkpoint-2455',
            'prompt': 'Only the free of sin can freely kill whomever he wants.',
            'text': 'Only the free of sin can freely kill whomever he wants. But if he has sinned against God, he '
                    "can't sin against himself. If he doesn't have sin, then he won't be saved, but he will be "
                    'condemned, because he didn\'t keep the commandment of the Lord Jesus Christ, which is, "You '
                    'shall not murder, neither shall you commit adultery, nor steal. You shall love your neighbor '
                    'as yourself, and don\'t covet his neighbor\'s wife. "But if a man commits adultery with '
                    'another man, or with a woman who is not his wife, that man shall be put to death; and the '
                    'woman shall live with her husband, as he lives with his mother. He who has done these things '
                    'is guilty of all the abominations that are on the earth, both\n'
                    '\n'
                    'in the sight of God and in his own eyes. Therefore I command you, brothers, to love one '
                    "another, even as I have loved you. Don't you know that",
            'line': 2316}],
 'lyrics': [{'epoch': 1,
             'checkpoint': 'checkpoint-1576',
             'prompt': "Create the lyrics of I'm the cowboy with the horse by Ulf G. Indahl",
             'text': "I'm the cowboy with the horse,\n"
                     " 'cause it's a fuckin' thing, I don't know what you're going to do,\n"
                     ' but if you want me to go,\n'
                     ' you gotta get me in the sand,\n'
                     ' and I know I can do it,\n'
                     " so I just know that I have to say that he'll tell you,\n"
                     ' "I\'ve got to give you" - I love you when I get to know me,\n'
                     ' (I like you) I hate you and my nigga,\n'
                     ' my horse and the horses, in my head,\n'
                     ' it is oh-oo-ahl-yeed ya-e-sheep-tee) (Also, yeah,\n'
                     ' yes, no, there is no nassy)\n'
                     ' And I like to be tayy,\n'
                     " she'd love to come out and tell me that you are gonna give me the same thing as\n"
                     ' I do),\n'
                     ' I want you to get you in your dick,\n'
                     ' or I think I should have been able to make me feel better when you say I',
             'line': 2414},
            {'epoch': 1,
             'checkpoint': 'checkpoint-1576',
             'prompt': 'Create the lyrics of Walking in the street by Kristian H. Liland',
             'text': "I'm walking in the street,\n"
                     "walkin' on the streets of the city,\n"
                     'walking with the sands of a taverna,\n'
                     "'Cause I don't know what you're going to do,\n"
                     'I know how to make it happen,\n'
                     "and I just know that it's not the only thing that I can do if I want it,\n"
                     'but I think I need it to be the best thing I could do\n'
                     'If I wanted it for the sake of my life I got it all done\n'
                     'If you want to see me in my heart,\n'
                     'you can see the way I walk in,\n'
                     "the road,walkin' around the town,\n"
                     'Walking in and yeah,\n'
                     'it is gonna be my fucking nigga\n'
                     'And I love you,\n'
                     'me and the people I have been in for so long,\n'
                     'take it out of there, just like I said,\n'
                     '"I\'ve never been there" (I love it) I like to go out and see you in front of me,\n'
                     'with my wife and my daughter,\n'
                     "she'd love to hear me singing,\n"
                     "love love, we'll be able to listen to the music,",
             'line': 2433},
            {'epoch': 1,
             'checkpoint': 'checkpoint-1576',
             'prompt': 'Create the lyrics of The sun is shining by The Leos',
             'text': 'The sun is shining by the sun shines by\n'
                     'The Leoos,\n'
                     'the leoes and the sands of the sky,\n'
                     "'Cause\n"
                     "I'm a sun shining star,\n"
                     "and I can't wait to see it,\n"
                     "but it's not too long for me to be shining,\n"
                     "And I know that you're gonna see me,\n"
                     'I will see you,\n'
                     "You'll see us,\n"
                     "we've seen you all,\n"
                     "We'd love to hear you say,\n"
                     '"Oh, yeah, yes, no,\n'
                     'No, there is nothing to do with it" (Also yeah) I love you so much more than\n'
                     'just if you want it to shine,\n'
                     'The rays are shining in the air,\n'
                     'it is shined\n'
                     'By the light,\n'
                     '\n'
                     'this sun, shining\n'
                     'By The light shining from the darkness,\n'
                     'you can hear it all the time,\n'
                     'when it comes to my mind,\n'
                     'what is it?\n'
                     'Is it too late to come?,\n'
                     'But I just want you to know you and your soul,\n'
                     'my souls were shining I want to go out of my heart,\n'
                     'It is too early for you? (Baby,',
             'line': 2456},
            {'epoch': 6,
             'checkpoint': 'checkpoint-9456',
             'prompt': "Create the lyrics of I'm the cowboy with the horse by Ulf G. Indahl",
             'text': "I'm the cowboy with the horse 'Cause I don't know what you're gonna do,\n"
                     "oh, yeah, you gotta get a fuckin' nigga,\n"
                     "I sat in the car, and he's in my head,\n"
                     'but I know that you are takin to the dick,\n'
                     "so you know I love you so much I like you too much (I've got to do)\n"
                     'And if you want me to go,\n'
                     'then you can see me in your mouth,\n'
                     "my mouth is full of ev'em y'all gon' be gimmick (Yeah)\n"
                     "You'll never know how to make you feel like I was the\n"
                     'Cowboy,\n'
                     'with my horse And I got my hands on my knees and I get my cuffs on the back of\n'
                     'my hand,\n'
                     "it'd be so good to see you,\n"
                     'that I want you to know you and me I just wanna know uh-huh,\n'
                     'hahaha-ayy-ee-hu-ya-na) I have to say',
             'line': 2491},
            {'epoch': 6,
             'checkpoint': 'checkpoint-9456',
             'prompt': 'Create the lyrics of Walking in the street by Kristian H. Liland',
             'text': "I'm walking in the street,\n"
                     "'Cause I don't know what you're going to do,\n"
                     'I know you can do it,\n'
                     "but it's not the only thing that I can say,\n"
                     '"I\'ve got a lot of things to say," he said (Yeah,\n'
                     'yeah)\n'
                     'He said, "I want you to be the one that you want me to go" (Woo)\n'
                     "She said that she'd like to stay in my mind,\n"
                     '\n'
                     'and she said "You\'ll be in love with me" (Ooh) I want to see you in your eyes\n'
                     '(Ayy)\n'
                     'You know,\n'
                     'you know I love you, right?\n'
                     'Is it all right now?\n'
                     'You can see the way it works,\n'
                     'just like you could do? (You can get it)\n'
                     'And I just want it to take me home (I just wanted it),\n'
                     'I got it right, it got me wrong (Hey!)\n'
                     'He told me that it was gonna take you back to the streets (Have you got the\n'
                     'shit)\n'
                     'Then I went to bed with you (What?) I wanted to keep it up (Oh) (',
             'line': 2509},
            {'epoch': 6,
             'checkpoint': 'checkpoint-9456',
             'prompt': 'Create the lyrics of The sun is shining by The Leos',
             'text': 'The sun is shining,\n'
                     'the sun shines the sky, sun shining the skies,\n'
                     'and the clouds are shining\n'
                     'The skies of the sea,\n'
                     'oh\n'
                     "I'm a savage sun, it's shining 'Cause we're all shining in the sunshine,\n"
                     "but we don't know what to say\n"
                     "We'll be shining on the moon,\n"
                     'we can see what we see,\n'
                     'what it is, how it feels,\n'
                     'when it comes to us, where we are,\n'
                     'Where we will, Where we shall,\n'
                     'We will be shine,\n'
                     'come and go, I will come to you,\n'
                     'you and me\n'
                     'And I am letting you know that you are so far away from me,\n'
                     'this sun comes, light shine shine the light,\n'
                     'shine\n'
                     'The light is the shining shining shine shining bright\n'
                     'The sky is bright,\n'
                     'bright and bright (Ooo)\n'
                     "And if you'd like to see you in your eyes,\n"
                     'then we have been frightened by the darkness,\n'
                     'that we grew up with, like we all living together\n'
                     'We are in love with each other,\n'
                     'who we must,\n'
                     'Who will we? What is it?\n'
                     'Why do we come together?\n'
                     'Is it time to shine?',
             'line': 2533},
            {'epoch': 10,
             'checkpoint': 'checkpoint-15760',
             'prompt': "Create the lyrics of I'm the cowboy with the horse by Ulf G. Indahl",
             'text': "I'm the cowboy with the horse 'Cause I don't know if it's gonna be a fuckin'\n"
                     'nigga,\n'
                     'oh uh (Oh)\n'
                     "You're smokin', you've gotta eat it (Yeah,\n"
                     'yeah)\n'
                     "Yeah, I know you y'all gon' get tucked up (Woo)\n"
                     "And he'll be in the car (Hahaha)\n"
                     'Oh,\n'
                     "my liar (Ayy) He'd like to go to the park (Oh,\n"
                     "wow) I got the dancin' in my head (Hey!) I just wanna make it out of the way\n"
                     '(Uh-huh)\n'
                     'Then you got to see me in your head,\n'
                     "and you get it, but you know that you are givin' with me (Mmm-mmmm)\n"
                     'If you want me to do that,\n'
                     'that mhm-do-ma-loaf (Baby)\n'
                     'Y\'know, what you have to say, "I\'',
             'line': 2569},
            {'epoch': 10,
             'checkpoint': 'checkpoint-15760',
             'prompt': 'Create the lyrics of Walking in the street by Kristian H. Liland',
             'text': "I'm walking in the street,\n"
                     "I don't know what you're going to do,\n"
                     'oh, yeah, you know how to make me feel like a shit,\n'
                     "but it's not the only thing that I can do 'Cause I know that you are gonna be\n"
                     'the one I want to be\n'
                     'Then you can see me in your eyes,\n'
                     'and I just want you to see you in my eyes\n'
                     'And if you want me to know me,\n'
                     'then I will be able to tell you,\n'
                     '"I\'ll be in love with you" (It\'d be like you) I love you when I go to the gym,\n'
                     "we've got to go out of town (Yeah)\n"
                     'You know,\n'
                     'how you got me on my knees\n'
                     'And I gotta get up and run up,\n'
                     "runnin' on the floor (You know it)\n"
                     'And you just know when you fuck me up (Hey)\n'
                     "Y'all have to take me down (Hahaha) (Ayy),\n"
                     '\n'
                     'yay-a-hh-huh)\n'
                     '\n'
                     'Yeah, my nigga, that is what I',
             'line': 2588},
            {'epoch': 10,
             'checkpoint': 'checkpoint-15760',
             'prompt': 'Create the lyrics of The sun is shining by The Leos',
             'text': 'The sun is shining,\n'
                     'the sun shines and the light of the skies\n'
                     'And the clouds are shining (The sun shining)\n'
                     'And if you want to see me,\n'
                     "I'm a sun-shined sun 'Cause I don't know what to say,\n"
                     "it's gonna be, oh, you're savage,\n"
                     'and I can see you in the sky\n'
                     'And I know that you are so good,\n'
                     'but I am so bad, so I have to be able to do it,\n'
                     'now I will be there for you,\n'
                     'this sun, shine, shining the and light from the shining sun (Leosse) and shine\n'
                     '(Alright) I love you and my sons (I love)\n'
                     'You love me so much,\n'
                     'my love is and it is so strong (Hey!)\n'
                     'And when you think of me I think that I should be with you (Sunday,\n'
                     'day, night)\n'
                     'Oh, what he did? (Yeah)\n'
                     'So I want you to hear me in your eyes\n'
                     'And you will hear your voice,\n'
                     'then you can hear you out of my mind\n'
                     'And my heart will grow and frightened',
             'line': 2612}]}


def seed_note(seed: str, entries: list[dict]) -> str:
    """The line under a table of a seed's texts: whose they are and where they stand in it.

    >>> seed_note("001", [{"line": 724}, {"line": 720}])
    "*Seed 001's texts (its models, its data), lines 720-724 of the seed.*"
    """
    lines = sorted(e["line"] for e in entries)
    span = f"line {lines[0]}" if lines[0] == lines[-1] else f"lines {lines[0]}-{lines[-1]}"
    return f"*Seed {seed}'s texts (its models, its data), {span} of the seed.*"
